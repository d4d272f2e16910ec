FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY prompts ./prompts
RUN pip install --no-cache-dir . && useradd --create-home symbiose
USER symbiose
HEALTHCHECK CMD python -c "import os,urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz')" || exit 1
CMD ["symbiose", "slack", "--http", "--port", "3000"]

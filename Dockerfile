# Symbiose image (Slack and Teams services; docs/operations.md).
#
#   docker build -t symbiose .                      # every LLM provider (requirements.lock)
#   docker build --build-arg EXTRAS=openai -t symbiose:openai .   # one provider
#   docker build --build-arg EXTRAS=base -t symbiose:offline .    # offline engine only
#
# EXTRAS picks the hash-locked file the dependencies come from: `all`
# (requirements.lock) or deploy/locks/<EXTRAS>.lock (base, openai, anthropic,
# mistral, ollama). Regenerate them with `python deploy/locks.py`.
# Dependencies sit in their own layer: a code change does not reinstall them.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- 1. dependencies, from a lock file with hashes (changes rarely) ----------
FROM ${PYTHON_IMAGE} AS deps
ARG EXTRAS=all
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/locks/all.lock
COPY deploy/locks/ /tmp/locks/
RUN test -f "/tmp/locks/${EXTRAS}.lock" \
      || { echo "EXTRAS must be one of: $(cd /tmp/locks && ls | sed 's/\.lock$//' | xargs)"; exit 1; } \
 && /opt/venv/bin/pip install --require-hashes --no-deps -r "/tmp/locks/${EXTRAS}.lock"

# ---- 2. our wheel (changes with every commit) ---------------------------------
FROM ${PYTHON_IMAGE} AS wheel
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY prompts ./prompts
RUN pip wheel --no-deps --wheel-dir /dist .

# ---- 3. runtime: the venv, the wheel, a non-root user --------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000
COPY --from=deps /opt/venv /opt/venv
COPY --from=wheel /dist /tmp/dist
RUN pip install --no-deps /tmp/dist/*.whl \
 && pip check \
 && rm -rf /tmp/dist \
 && useradd --system --uid 10001 --create-home --home-dir /home/symbiose symbiose
USER 10001:10001
WORKDIR /home/symbiose
# Slack (HTTP mode) listens on 3000, Teams on 3978; set PORT to the one the
# container serves, so that the healthcheck probes it (docker-compose.yml does).
EXPOSE 3000 3978
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz', timeout=2)"]
CMD ["symbiose", "slack", "--http", "--port", "3000"]

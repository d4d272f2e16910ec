"""The Slack and Teams fixtures, for tests that run both stacks."""

from tests.slack.conftest import mock_slack  # noqa: F401
from tests.teams.conftest import connector, start_bot  # noqa: F401

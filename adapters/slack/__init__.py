"""Symbiose in Slack: a Bolt (asyncio) app that only translates between Slack and the engine.

Entry point: `adapters.slack.server.run(settings, http=..., port=...)`.
"""

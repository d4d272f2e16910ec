"""Symbiose in Microsoft Teams: a botbuilder ActivityHandler that only translates
between Bot Framework activities and the engine.

Entry point: `adapters.teams.server.run(settings, port=...)`; tests and benchmarks
use `adapters.teams.server.build_web_app(settings, engine)`.
"""

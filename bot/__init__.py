"""Symbiose: a marketing sparring partner that asks, proposes and learns."""

__version__ = "0.1.0"

"""Angle generators: the built-in offline engine and the LLM engine, one interface."""

"""Data files: prompt templates, the strategy catalogue, UI texts and the glossary.

Kept as files (not strings in code) and shipped inside the installed package.
"""

from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent

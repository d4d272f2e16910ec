"""The bilingual marketing, communication, digital and AI glossary.

    g = Glossary.load(settings.glossary_paths)
    g.reply("IA symbiotique", "fr")      # Reply(kind="glossary", glossary=GlossaryCard(...))
"""

from bot.glossary.glossary import CategoryInfo, Glossary, split_lang
from bot.glossary.loader import GlossaryError

__all__ = ["CategoryInfo", "Glossary", "GlossaryError", "split_lang"]

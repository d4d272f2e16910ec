"""Chat adapters: translate platform events to `bot.kernel.messages.Message` and render `Reply`.

No business rule lives here: an adapter calls `Engine.handle` and renders.
"""

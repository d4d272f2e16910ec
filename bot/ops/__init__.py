"""Running Symbiose for many teams: metrics, structured logs, budgets, allowlists."""

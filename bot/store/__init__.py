"""Storage: Redis (or the embedded Redis-compatible store) and the key scheme."""

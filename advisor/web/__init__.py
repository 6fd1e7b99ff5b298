"""The web: one module per page family, over the engine, the reading layer and the outputs."""

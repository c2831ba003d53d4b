"""公文 services, one module per area."""

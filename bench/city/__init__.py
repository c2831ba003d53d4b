"""The city benchmark of issue 18: a loaded city, a bare ceiling, every hot path over HTTP."""

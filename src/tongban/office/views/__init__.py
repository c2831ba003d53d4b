"""内部事项 pages. Every page answers 404 for what the viewer may not see; every write is a POST that
calls one service and redirects; a refusal comes back on the same page in its error summary."""

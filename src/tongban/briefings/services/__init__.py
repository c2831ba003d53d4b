"""Writes of 政务信息报送: submissions (报送, 采用 …), issues (印发, 传阅) and the scoring rules."""

"""Negative tests of threat-model rows that cut across apps (THREATS.md); outside the package, so the
import contracts of the apps do not apply to them."""

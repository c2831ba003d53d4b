"""THREATS T-K1: a few hundred slowloris connections against nginx (deploy/nginx/, internet profile) in
front of gunicorn with two sync workers; a normal request keeps being answered throughout. (gunicorn
alone stops answering under the same attack: bench/slow_client.py prints both.)"""

import pytest

from tests.deploy import slow

# django_db: the test database exists (gunicorn reads it; the test itself writes nothing).
pytestmark = [pytest.mark.deploy, pytest.mark.django_db]


def test_T_K1_nginx_keeps_answering_during_a_slowloris_attack(internet_stack):
    probes, _ = slow.attack(internet_stack.port, "/healthz", tls=True)
    assert probes.failed == [], probes.failed
    assert len(probes.answered) >= 5  # probed during the whole attack, not once

"""deploy/ read as text: the values that must follow the settings cannot drift from them (no nginx or
Docker needed; the profiles run for real in test_nginx_profiles.py)."""

import re
from pathlib import Path

import yaml
from django.conf import settings

from tongban import env
from tongban.core import zones
from tongban.core.uploads import MB, UPLOAD_MAX_MB

DEPLOY = Path(settings.PROJECT_DIR) / "deploy"
NGINX = DEPLOY / "nginx"


def nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": MB, "g": 1024 * MB}[unit.lower()]


def directive(text: str, name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", text, re.MULTILINE)


def test_T_C5_client_max_body_size_is_one_material_plus_the_form_fields():
    (value,) = directive((NGINX / "tongban-http.conf").read_text(), "client_max_body_size")
    assert nginx_size(value) == UPLOAD_MAX_MB * MB + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_T_N2_internet_profile_refuses_and_extranet_profile_routes_every_government_prefix():
    internet = (NGINX / "tongban-internet.conf").read_text()
    extranet = (NGINX / "tongban-extranet.conf").read_text()
    for prefix in zones.staff_prefixes():
        if prefix == "metrics":  # scraped on each node, never through either proxy
            assert "location = /metrics { return 404; }" in internet
            assert "location = /metrics { return 404; }" in extranet
            continue
        assert re.search(rf"location \^~ /{re.escape(prefix)} \{{ return 404; \}}", internet), prefix
        assert re.search(rf"location \^~ /{re.escape(prefix)} \{{ include .*proxy_pass", extranet), prefix
    for prefix in zones.SHARED_PREFIXES:
        if prefix != "static/":  # nginx serves it (tongban-server.conf)
            assert re.search(rf"location (\^~|=) /{re.escape(prefix)} ", extranet), prefix
    assert "location / { return 404; }" in extranet


def test_T_N5_nginx_replaces_the_clients_forwarding_headers():
    proxy = (NGINX / "tongban-proxy.conf").read_text()
    assert directive(proxy, "proxy_set_header X-Forwarded-For") == ["$remote_addr"]
    assert directive(proxy, "proxy_set_header X-Forwarded-Proto") == ["$scheme"]
    assert "$proxy_add_x_forwarded_for" not in proxy  # would keep the client's own list
    example = (DEPLOY / "env.example").read_text()
    assert "TONGBAN_NUM_PROXIES=1\n" in example
    assert "TONGBAN_SECURE_PROXY=true\n" in example


def test_T_K1_slow_client_limits_and_buffering_are_set():
    http = (NGINX / "tongban-http.conf").read_text()
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout"):
        assert directive(http, name), name
    assert directive(http, "proxy_request_buffering") == ["on"]
    assert directive(http, "proxy_buffering") == ["on"]
    assert directive(http, "server_tokens") == ["off"]
    assert directive(http, "ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    server = (NGINX / "tongban-server.conf").read_text()
    assert directive(server, "limit_conn")
    assert directive(server, "limit_req")


def test_gunicorn_runs_sync_workers_on_loopback():
    config: dict = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), config)  # noqa: S102 - the repository's own file
    assert config["worker_class"] == "sync"
    assert all(bind.startswith("127.0.0.1:") for bind in config["bind"])
    assert config["max_requests"]
    assert config["max_requests_jitter"]
    proxy_read = directive((NGINX / "tongban-http.conf").read_text(), "proxy_read_timeout")[0]
    assert int(proxy_read.rstrip("s")) > config["timeout"]


def test_env_example_lists_every_setting_with_no_secret():
    example = (DEPLOY / "env.example").read_text()
    names = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", example, re.MULTILINE))
    assert set(env.REGISTRY) <= set(names)
    for name, value in names.items():
        if any(word in name for word in ("KEY", "SECRET", "PASSWORD")):
            assert value.startswith("<") or not value, name


def test_compose_file_runs_one_image_for_every_role():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    for name in ("nginx", "web1", "web2", "worker", "beat", "postgres", "pgbouncer", "redis", "clamav"):
        assert name in services, name
    app_roles = [services[name] for name in ("web1", "web2", "worker", "beat", "migrate")]
    assert {role["image"] for role in app_roles} == {"tongban:latest"}
    assert all(role["env_file"] == "tongban.env" for role in app_roles)
    assert "worker" in services["worker"]["command"]
    assert "pool_mode = transaction" in (DEPLOY / "pgbouncer" / "pgbouncer.ini").read_text()

"""The one settings module. Every value that differs between machines comes from env.py."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tongban import env
from tongban import oidc_keys as identity_keys

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

DEBUG = env.bool_("TONGBAN_DEBUG", help="Development mode. Set to false in production.", default=True)
SECRET_KEY = env.str_(
    "TONGBAN_SECRET_KEY",
    help="Django secret key; 50+ random characters, the same on every app node.",
    dev="django-insecure-development-only-never-in-production",
)
ALLOWED_HOSTS = env.list_(
    "TONGBAN_ALLOWED_HOSTS",
    help="Host names this site answers to, comma-separated, each in full: `check --deploy` refuses a "
    "wildcard ('*', or '.example.gov.cn' for every subdomain).",
    dev=["127.0.0.1", "localhost", "testserver"],
)
CSRF_TRUSTED_ORIGINS = env.list_(
    "TONGBAN_CSRF_TRUSTED_ORIGINS",
    help="Origins (https://host) allowed to POST, when behind a proxy on another host name.",
    default=[],
)

INSTALLED_APPS = [
    "tongban.workbench.apps.StaffAdminConfig",  # django.contrib.admin, for superusers (workbench.admin_site)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "csp",
    "oauth2_provider",
    "tongban.core",
    "tongban.schemaforms",
    "tongban.accounts",
    "tongban.organizations",
    "tongban.catalog",
    "tongban.registries",
    "tongban.archives",
    "tongban.moderation",
    "tongban.sharing",
    "tongban.workflow",
    "tongban.applications",
    "tongban.appointments",
    "tongban.queueing",
    "tongban.bundles",
    "tongban.supervision",
    "tongban.ratings",
    "tongban.notifications",
    "tongban.licenses",
    "tongban.office",
    "tongban.documents",
    "tongban.meetings",
    "tongban.tracking",
    "tongban.briefings",
    "tongban.notices",
    "tongban.disclosure",
    "tongban.disclosure_requests",
    "tongban.hotline",
    "tongban.consultations",
    "tongban.operations",
    "tongban.identity",
    "tongban.workbench",
    "tongban.demo",
    "tongban.backup",
]

MIDDLEWARE = [
    "tongban.core.requests.RequestIdMiddleware",
    "tongban.operations.metrics.RequestMetricsMiddleware",
    "tongban.core.zones.ZoneMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tongban.accounts.middleware.StaffSecondFactorMiddleware",
    "tongban.core.break_glass.BreakGlassMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tongban.core.middleware.ElderModeMiddleware",
    "tongban.core.middleware.NoStoreForAuthenticatedMiddleware",
]

ROOT_URLCONF = "tongban.urls"
WSGI_APPLICATION = "tongban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tongban.core.context_processors.site",
                "tongban.workbench.context_processors.workbench",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        help="Database URL. PostgreSQL in production (postgres://user:pass@host:5432/name); "
        "SQLite for development.",
        dev=f"sqlite:///{PROJECT_DIR / 'tongban.sqlite3'}",
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Login and SMS-code limits count in this cache (THREATS T-A1, T-A3, T-K5): every process of every node
# must see the same counters, so production needs Redis (deploy check accounts.E003). Development may run
# without it: each process then counts on its own.
REDIS_URL = env.str_(
    "TONGBAN_REDIS_URL",
    help="Redis URL of the shared cache that holds the login and SMS-code limits (redis://host:6379/0); "
    "required in production. In development, empty means a per-process memory cache.",
    dev="",
)
CACHE_KEY_PREFIX = env.str_(
    "TONGBAN_CACHE_KEY_PREFIX",
    help="Prefix of every key this site writes to the shared cache; each site sharing one Redis database "
    "needs its own.",
    default="tongban",
)
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Argon2id first; older hashes (PBKDF2 from before) still verify and are upgraded at the next login.
PASSWORD_HASHERS = [
    "tongban.accounts.hashers.OwaspArgon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: Chinese first, English second. Source strings are Chinese.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str_(
    "TONGBAN_STATIC_ROOT",
    help="Where collectstatic writes files (empty: var/static in the checkout).",
    default="",
) or str(PROJECT_DIR / "var/static")
MEDIA_ROOT = env.str_(
    "TONGBAN_MEDIA_ROOT",
    help="Folder of the filesystem storages (blank forms, samples, materials). "
    "Shared between app nodes (NFS) or replaced by an object-storage backend (empty: var/media in the checkout).",
    default="",
) or str(PROJECT_DIR / "var/media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "public": {
        # Published catalog files (blank forms, samples): readable by anyone through catalog views.
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": f"{MEDIA_ROOT}/public"},
    },
    "materials": {
        # Applicants' materials: private, read only through views that check who asks (T-C7).
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": f"{MEDIA_ROOT}/materials"},
    },
    "archives": {
        # Archived records (归档, issue 15): copies fixed at archiving, read only through the archive pages.
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": f"{MEDIA_ROOT}/archives"},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Security. Cookies are Secure outside development; behind TLS-terminating nginx set
# TONGBAN_SECURE_PROXY=true so Django trusts X-Forwarded-Proto from it.
SECURE_COOKIES = env.bool_(
    "TONGBAN_SECURE_COOKIES", help="Send cookies only over HTTPS (true in production).", default=not DEBUG
)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool_(
    "TONGBAN_SSL_REDIRECT", help="Redirect plain HTTP to HTTPS in Django.", default=not DEBUG
)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.bool_(
    "TONGBAN_SECURE_PROXY",
    help="Trust X-Forwarded-Proto from the reverse proxy in front of the app.",
    default=False,
):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Request bodies: DRF >= 3.17.2 applies these to JSON too (THREATS T-K2).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100

REST_FRAMEWORK = {
    # Deny by default: every API view states who may call it.
    "DEFAULT_PERMISSION_CLASSES": ["tongban.core.api.permissions.DenyAll"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "tongban.core.api.pagination.CappedPagination",
    "DEFAULT_PARSER_CLASSES": ["tongban.core.api.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str_("TONGBAN_API_ANON_RATE", help="API calls per client IP.", default="600/min"),
        "user": env.str_("TONGBAN_API_USER_RATE", help="API calls per logged-in user.", default="1200/min"),
    },
    "EXCEPTION_HANDLER": "tongban.core.api.errors.exception_handler",
    "NUM_PROXIES": env.int_(
        "TONGBAN_NUM_PROXIES",
        help="Reverse proxies in front of the app; the client IP is read from X-Forwarded-For "
        "only that many hops deep (0 means the socket address).",
        default=0,
    ),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "通办 Tongban API",
    "DESCRIPTION": "政务服务事项目录等接口。公众只读，目录管理人员可写。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "ENUM_NAME_OVERRIDES": {"LimitUnitEnum": "tongban.catalog.choices.LimitUnit"},
    # <id:…> (tongban.core.converters.IdConverter): a database id.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
}

# Data exchange (issue 5): department systems authenticate with OAuth2 client credentials (T-D3).
OAUTH2_PROVIDER = {
    "OAUTH2_VALIDATOR_CLASS": "tongban.sharing.api.validators.ExchangeValidator",
    "SCOPES": {"exchange": "数据共享交换"},
    "DEFAULT_SCOPES": ["exchange"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int_(
        "TONGBAN_EXCHANGE_TOKEN_SECONDS",
        help="Lifetime in seconds of an exchange access token (client credentials); at most 600 (THREATS T-D3).",
        default=600,
    ),
    "PKCE_REQUIRED": True,
    # RFC 9700 (OAuth 2.0 Security BCP) everywhere: tokens stored hashed, never in the query string;
    # no implicit or password grant, no plain PKCE, https redirects only (django-oauth-toolkit W001–W008).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

# Staff single sign-on (issue 20, docs/identity.md): the same toolkit is the city's OpenID Connect
# provider; one validator serves the exchange and the relying parties (THREATS T-A5, T-A11).
_OIDC_KEY = env.str_(
    "TONGBAN_OIDC_PRIVATE_KEY",
    help="RSA private key (PEM; \\n escapes allowed) signing the ID tokens of the platform's OpenID Connect "
    "provider. Empty: a throw-away key in development, the provider switched off in production.",
    default="",
)
if not _OIDC_KEY and DEBUG:
    _OIDC_KEY = identity_keys.new_private_key()
OAUTH2_PROVIDER |= {
    "OAUTH2_VALIDATOR_CLASS": "tongban.identity.validators.PlatformValidator",
    "SCOPES_BACKEND_CLASS": "tongban.identity.validators.PlatformScopes",
    "SCOPES": {
        **OAUTH2_PROVIDER["SCOPES"],
        "openid": "身份标识",
        "profile": "姓名",
        "staff": "所在部门与岗位角色",
    },
    "OIDC_ENABLED": bool(_OIDC_KEY),
    "OIDC_RSA_PRIVATE_KEY": identity_keys.split_pem_keys(_OIDC_KEY)[0] if _OIDC_KEY else "",
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": identity_keys.split_pem_keys(
        env.str_(
            "TONGBAN_OIDC_PREVIOUS_KEYS",
            help="Previous ID-token signing keys (PEM blocks one after another), still published in the "
            "JWKS after a rotation until the tokens they signed have expired (docs/identity.md).",
            default="",
        )
    ),
    "OIDC_ISS_ENDPOINT": env.str_(
        "TONGBAN_OIDC_ISSUER",
        help="Issuer URL of the platform's OpenID Connect provider, e.g. https://zw.example.gov.cn/sso "
        "(empty: derived from the request).",
        default="",
    ),
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_basic", "client_secret_post"],
    "ID_TOKEN_EXPIRE_SECONDS": 600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "REQUEST_APPROVAL_PROMPT": "auto",
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    # The platform ends the tokens itself, after noting whom to tell (identity.backchannel).
    "OIDC_RP_INITIATED_LOGOUT_DELETE_TOKENS": False,
}

# Sign-in through an external identity provider (统一身份认证, any OpenID Connect provider;
# mozilla-django-oidc reads these names). Empty client id: the button is hidden and the URLs answer 404.
OIDC_RP_CLIENT_ID = env.str_(
    "TONGBAN_EXTERNAL_OIDC_CLIENT_ID",
    help="Client id at the external identity provider (empty: off).",
    default="",
)
OIDC_RP_CLIENT_SECRET = env.str_(
    "TONGBAN_EXTERNAL_OIDC_CLIENT_SECRET", help="Client secret at the external identity provider.", default=""
)
TONGBAN_EXTERNAL_OIDC_ISSUER = env.str_(
    "TONGBAN_EXTERNAL_OIDC_ISSUER",
    help="Issuer of the external identity provider; the ID token's iss must equal it.",
    default="",
)
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str_(
    "TONGBAN_EXTERNAL_OIDC_AUTHORIZATION_ENDPOINT",
    help="External provider's authorization endpoint.",
    default="",
)
OIDC_OP_TOKEN_ENDPOINT = env.str_(
    "TONGBAN_EXTERNAL_OIDC_TOKEN_ENDPOINT", help="External provider's token endpoint.", default=""
)
OIDC_OP_USER_ENDPOINT = env.str_(
    "TONGBAN_EXTERNAL_OIDC_USERINFO_ENDPOINT", help="External provider's userinfo endpoint.", default=""
)
OIDC_OP_JWKS_ENDPOINT = env.str_(
    "TONGBAN_EXTERNAL_OIDC_JWKS_ENDPOINT", help="External provider's JWKS (ID-token keys).", default=""
)
OIDC_RP_SCOPES = env.str_(
    "TONGBAN_EXTERNAL_OIDC_SCOPES", help="Scopes asked of the external provider.", default="openid profile"
)
TONGBAN_EXTERNAL_OIDC_ID_CLAIM = env.str_(
    "TONGBAN_EXTERNAL_OIDC_ID_CLAIM",
    help="Claim of the external provider carrying the verified resident ID number (matched by its keyed "
    "hash, never stored).",
    default="id_number",
)
TONGBAN_EXTERNAL_OIDC_MFA_ACR = env.list_(
    "TONGBAN_EXTERNAL_OIDC_MFA_ACR",
    help="acr values of the external provider that mean multi-factor sign-in (comma list); otherwise a "
    "staff sign-in needs amr with mfa/otp/hwk, else the platform asks for the authenticator code.",
    default=[],
)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "identity:external_callback"
TONGBAN_EXCHANGE_RATE = env.str_(
    "TONGBAN_EXCHANGE_RATE",
    help="Exchange API calls per client (department system), e.g. 600/min; past it the answer is 429 "
    "with Retry-After (THREATS T-D5).",
    default="600/min",
)
TONGBAN_EXCHANGE_REPLAY_WINDOW_SECONDS = env.int_(
    "TONGBAN_EXCHANGE_REPLAY_WINDOW_SECONDS",
    help="Seconds an exchange write's X-Timestamp may differ from the server clock; older (or later) "
    "requests are refused with 400 (THREATS T-D4).",
    default=300,
)

TONGBAN_SMS_BACKEND = env.str_(
    "TONGBAN_SMS_BACKEND",
    help="Dotted path of the SMS backend class (tongban.core.sms.backends.*). The console backend only "
    "writes messages to the log and delivers nothing.",
    dev="tongban.core.sms.backends.console.ConsoleBackend",
)
TONGBAN_RESIDENT_ID_HMAC_KEY = env.str_(
    "TONGBAN_RESIDENT_ID_HMAC_KEY",
    help="Key of the HMAC-SHA256 under which resident ID numbers are stored (32+ random characters). "
    "Keep it outside the database and its backups; changing it orphans every stored ID.",
    dev="development-only-resident-id-key-never-in-production",
)
TONGBAN_SMS_CODES_PER_IP_PER_HOUR = env.int_(
    "TONGBAN_SMS_CODES_PER_IP_PER_HOUR",
    help="SMS codes one client address may request per hour (per phone: 1 a minute, 10 a day).",
    default=20,
)
TONGBAN_LOGIN_FAILURES_PER_IP = env.int_(
    "TONGBAN_LOGIN_FAILURES_PER_IP",
    help="Failed portal logins from one client address within 15 minutes before it is refused for the "
    "rest of them (per phone number: 5).",
    default=20,
)

TONGBAN_TOTP_ENCRYPTION_KEY = env.str_(
    "TONGBAN_TOTP_ENCRYPTION_KEY",
    help="Fernet key (32 random bytes, url-safe base64) encrypting staff authenticator (TOTP) secrets at rest; "
    "make one with python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'. "
    "Keep it outside the database and its backups; the stored secrets cannot be read without it.",
    dev="ZGV2ZWxvcG1lbnQtb25seS10b3RwLWtleS0zMmJ5dGU=",
)

TONGBAN_ANSWER_ENCRYPTION_KEY = env.str_(
    "TONGBAN_ANSWER_ENCRYPTION_KEY",
    help="Fernet key (32 random bytes, url-safe base64) encrypting the resident ID numbers inside application "
    "answers at rest (staff see them masked unless they use the audited 查看完整号码); make one like the TOTP key. "
    "Keep it outside the database and its backups; the stored numbers cannot be read without it.",
    dev="ZGV2ZWxvcG1lbnQtb25seS1hbnN3ZXJzLWtleS0zMmI=",
)

# Signatures of e-licenses (THREATS T-F1, T-F5); a dotted path, like EMAIL_BACKEND.
TONGBAN_SIGNER = env.str_(
    "TONGBAN_SIGNER",
    help="Signer of e-licenses: tongban.core.signing.backends.local.LocalEcdsaSigner (ECDSA P-256, SHA-256; "
    "the default), ...LocalEd25519Signer or ...LocalSm2Signer (SM2 with SM3, 国密); an HSM signer plugs in the "
    "same way.",
    default="tongban.core.signing.backends.local.LocalEcdsaSigner",
)
TONGBAN_SIGNING_KEY_ENCRYPTION_KEY = env.str_(
    "TONGBAN_SIGNING_KEY_ENCRYPTION_KEY",
    help="Fernet key (32 random bytes, url-safe base64) encrypting the departments' seal signing keys at rest "
    "(local signers); make one with python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'. Keep it outside the database and its backups.",
    dev="ZGV2ZWxvcG1lbnQtb25seS1zZWFsLWtleXMtMzJieXQ=",
)
# Backups (manage.py backup / restore, docs/backup.md; THREATS T-L6).
TONGBAN_BACKUP_KEY = env.str_(
    "TONGBAN_BACKUP_KEY",
    help="AES-256 key (32 random bytes, standard base64) encrypting and authenticating manage.py backup's files; "
    "make one with python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'. "
    "Keep it off the backup host (docs/backup.md); without it no backup is written or restored.",
    default="",
)
TONGBAN_PDF_FONT = env.str_(
    "TONGBAN_PDF_FONT",
    help="TrueType font (.ttf/.ttc) embedded in the PDFs the platform makes (e-licenses, approval sheets) "
    "for Chinese text (Debian package fonts-wqy-zenhei).",
    default="/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
# 公文 (issue 15): the faces of the GB/T 9704 layout. Free fonts by default (make document-fonts); set
# them to the official 方正小标宋 / 仿宋_GB2312 / 黑体 / 楷体_GB2312 files where licensed. A missing file
# falls back to TONGBAN_PDF_FONT (development); the layout does not depend on the face.
TONGBAN_DOCUMENT_FONT_TITLE = env.str_(
    "TONGBAN_DOCUMENT_FONT_TITLE",
    help="TrueType font for the 发文机关标志 and 标题 of official documents (小标宋-style; free default: "
    "AR PL UMing, drawn emboldened, Debian fonts-arphic-uming).",
    default="/usr/share/fonts/truetype/arphic/uming.ttc",
)
TONGBAN_DOCUMENT_FONT_TITLE_EMBOLDEN = env.str_(
    "TONGBAN_DOCUMENT_FONT_TITLE_EMBOLDEN",
    help="Outline width in points drawn around the 发文机关标志 and 标题 glyphs to give a light face the weight "
    "of 小标宋; 0 with a real 小标宋 font.",
    default="0.6",
)
TONGBAN_DOCUMENT_FONT_BODY = env.str_(
    "TONGBAN_DOCUMENT_FONT_BODY",
    help="TrueType font for the 正文, 版记 and 页码 of official documents (仿宋-style; free default: AR PL "
    "UMing, Debian fonts-arphic-uming).",
    default="/usr/share/fonts/truetype/arphic/uming.ttc",
)
TONGBAN_DOCUMENT_FONT_HEITI = env.str_(
    "TONGBAN_DOCUMENT_FONT_HEITI",
    help="TrueType font for 黑体 in official documents (份号, 密级, 紧急程度, first-level headings; free default: "
    "WenQuanYi Zen Hei).",
    default="/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
TONGBAN_DOCUMENT_FONT_KAITI = env.str_(
    "TONGBAN_DOCUMENT_FONT_KAITI",
    help="TrueType font for 楷体 in official documents (second-level headings, the 签发人 name; free default: "
    "AR PL UKai, Debian fonts-arphic-ukai).",
    default="/usr/share/fonts/truetype/arphic/ukai.ttc",
)
TONGBAN_PUBLIC_BASE_URL = env.str_(
    "TONGBAN_PUBLIC_BASE_URL",
    help="Public address of the portal (https://zwfw.example.gov.cn), used in the QR codes of e-licenses.",
    dev="http://127.0.0.1:8000",
)

# Virus scanning of uploaded materials (THREATS T-C6); a dotted path, like EMAIL_BACKEND.
TONGBAN_VIRUS_SCANNER = env.str_(
    "TONGBAN_VIRUS_SCANNER",
    help="Virus scanner for uploaded materials: tongban.core.virus_scan.backends.clamd.ClamdScanner in "
    "production; development uses tongban.core.virus_scan.backends.disabled.DisabledScanner, which scans nothing "
    "(`check --deploy` refuses it).",
    dev="tongban.core.virus_scan.backends.disabled.DisabledScanner",
)
TONGBAN_CLAMD_SOCKET = env.str_(
    "TONGBAN_CLAMD_SOCKET",
    help="Path of clamd's Unix socket (Debian: /run/clamav/clamd.ctl); when set, host and port are ignored.",
    default="",
)
TONGBAN_CLAMD_HOST = env.str_(
    "TONGBAN_CLAMD_HOST",
    help="clamd's TCP address, used when TONGBAN_CLAMD_SOCKET is empty.",
    default="127.0.0.1",
)
TONGBAN_CLAMD_PORT = env.int_(
    "TONGBAN_CLAMD_PORT", help="clamd's TCP port (TCPSocket in clamd.conf).", default=3310
)
TONGBAN_CLAMD_TIMEOUT = env.int_(
    "TONGBAN_CLAMD_TIMEOUT",
    help="Seconds to wait for clamd per socket operation; past it the upload is refused with 503 (fail closed).",
    default=30,
)

CELERY_BROKER_URL = env.str_(
    "TONGBAN_CELERY_BROKER_URL",
    help="Celery broker (redis://host:6379/1). Empty runs tasks in-process, for development only.",
    default="",
)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic work (celery beat in production; `manage.py send_deadline_warnings` from cron works too;
# `make run` runs them all in-process with `manage.py run_periodic_jobs`).
CELERY_BEAT_SCHEDULE = {
    "fire-due-timers": {"task": "workflow.fire_due_timers", "schedule": 60},
    "step-timeout-actions": {"task": "workflow.apply_timeout_actions", "schedule": 30 * 60},
    "deadline-warnings": {"task": "supervision.send_deadline_warnings", "schedule": 30 * 60},
    "purge-expired-drafts": {"task": "applications.purge_expired_drafts", "schedule": 6 * 60 * 60},
    "purge-exchange-requests": {"task": "sharing.purge_exchange_requests", "schedule": 60 * 60},
    "publish-appointment-slots": {"task": "appointments.publish_slots_ahead", "schedule": 6 * 60 * 60},
    "seed-calendar": {"task": "core.seed_calendar", "schedule": 24 * 60 * 60},
    "hotline-supervise-overdue": {"task": "hotline.supervise_overdue", "schedule": 15 * 60},
    "audit-checkpoint": {"task": "core.audit_checkpoint", "schedule": 60 * 60},
    "audit-purge": {"task": "core.purge_audit", "schedule": 24 * 60 * 60},
}
TONGBAN_APPOINTMENT_WEEKS_AHEAD = env.int_(
    "TONGBAN_APPOINTMENT_WEEKS_AHEAD",
    help="Weeks of appointment slots kept published ahead from the halls' opening rules (by the periodic "
    "job every 6 hours, or `manage.py publish_appointment_slots` from cron).",
    default=2,
)
TONGBAN_ARCHIVE_FONDS_CODE = env.str_(
    "TONGBAN_ARCHIVE_FONDS_CODE",
    help="全宗号 of this deployment's archive, the first part of every 档号 (DA/T 22), e.g. Z001: 1 to 8 "
    "capital letters or digits, as the archives authority assigned it.",
    default="Z001",
)
TONGBAN_ARCHIVE_DEFAULT_ORGANISATION_CODE = env.str_(
    "TONGBAN_ARCHIVE_DEFAULT_ORGANISATION_CODE",
    help="机构（问题）代码 in the 档号 of a department that has none set on the retention schedule page "
    "(e.g. BGS, 办公室).",
    default="BGS",
)
TONGBAN_ARCHIVE_SEAL_VERIFIER = env.str_(
    "TONGBAN_ARCHIVE_SEAL_VERIFIER",
    help="Dotted path of a function(pdf_bytes) whose result is truthy (or has a true `valid`) when a sealed "
    "PDF's signature still verifies; `check_archive` uses it for the authenticity check (empty: skip). "
    "The default is the platform's own PAdES seal check.",
    default="tongban.documents.sealing.verify_pdf_seal",
)
TONGBAN_DRAFT_RETENTION_DAYS = env.int_(
    "TONGBAN_DRAFT_RETENTION_DAYS",
    help="Days a draft application (草稿) is kept after it was last saved; older drafts are deleted with their "
    "uploaded files by the periodic purge (THREATS T-M4).",
    default=30,
)

# Shown in the footer of every page (UX.md): values of the running city.
CITY = {
    "city_name": env.str_("TONGBAN_CITY_NAME", help="City or county name.", default="云州市"),
    "site_name": env.str_("TONGBAN_SITE_NAME", help="Portal name in the header.", default="云州市政务服务网"),
    "host_org": env.str_(
        "TONGBAN_HOST_ORG", help="主办单位 in the footer.", default="云州市政务服务和数据管理局"
    ),
    "contact": env.str_("TONGBAN_CONTACT", help="联系方式 in the footer.", default="政务服务便民热线 12345"),
    "site_code": env.str_("TONGBAN_SITE_CODE", help="网站标识码 in the footer.", default="9901000001"),
    "icp": env.str_("TONGBAN_ICP", help="ICP备案号 in the footer.", default="云ICP备00000001号"),
    "psb": env.str_(
        "TONGBAN_PSB_RECORD", help="公安机关备案号 in the footer.", default="云公网安备99010002000001号"
    ),
}

TONGBAN_RECEIPT_PREFIX = env.str_(
    "TONGBAN_RECEIPT_PREFIX",
    help="Letters in front of every 办件编号 (receipt number), e.g. the city's abbreviation.",
    default="YZ",
)
TONGBAN_WARNING_PERCENT = env.int_(
    "TONGBAN_WARNING_PERCENT",
    help="电子监察: a task or application gets a yellow card once it has used this percentage of its "
    "working days (red when overdue).",
    default=80,
)

TONGBAN_RECTIFICATION_DAYS = env.int_(
    "TONGBAN_RECTIFICATION_DAYS",
    help="Working days a department has to rectify a bad rating (差评整改; 国办发〔2019〕51号 local rule).",
    default=15,
)

TONGBAN_DOCUMENT_SECRECY_ALLOWED = env.list_(
    "TONGBAN_DOCUMENT_SECRECY_ALLOWED",
    help="公文: the 密级 this deployment may handle (secret, confidential, top_secret; comma list). Empty: "
    "only 非密 documents; a classified 发文单 is refused.",
    default=[],
)

TONGBAN_ZONE = env.str_(
    "TONGBAN_ZONE",
    help="Which network zone this node serves: all (one host), internet (the public portal only: staff, "
    "admin and exchange paths answer 404) or extranet (the staff side only). See core/zones.py.",
    default="all",
)

LOGIN_URL = "accounts:staff_login"
ADMIN_URL = env.str_(
    "TONGBAN_ADMIN_URL",
    help="Path of the staff administration site; serve it only on the government extranet host.",
    default="admin/",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One JSON object per line, values encoded: user input cannot forge a record (T-J3).
    "formatters": {"json": {"()": "tongban.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # jieba and SpiffWorkflow log every step at INFO.
    "loggers": {"jieba": {"level": "WARNING"}, "spiff": {"level": "WARNING"}},
}

# Metrics (/metrics, tongban.operations): Prometheus scrapes with this bearer token, or from an address
# in the allowlist. The page is never served on the 互联网区 (core.zones).
TONGBAN_METRICS_TOKEN = env.str_(
    "TONGBAN_METRICS_TOKEN",
    help="Bearer token Prometheus sends to /metrics (Authorization: Bearer …); empty: only the addresses "
    "in TONGBAN_METRICS_ALLOWED_IPS may scrape. 32+ random characters.",
    default="",
)
TONGBAN_METRICS_ALLOWED_IPS = env.list_(
    "TONGBAN_METRICS_ALLOWED_IPS",
    help="Client addresses allowed to read /metrics without the token, comma-separated (the address as "
    "TONGBAN_NUM_PROXIES reads it).",
    default=["127.0.0.1", "::1"],
)
# The audit log's hash chain (THREATS T-J1): signed checkpoints kept off the database host, retention.
TONGBAN_AUDIT_CHECKPOINT_DIR = env.str_(
    "TONGBAN_AUDIT_CHECKPOINT_DIR",
    help="Directory (a mount of another host, not the database server) where manage.py audit_checkpoint and "
    "the hourly task write signed checkpoints of the audit log's hash chains; empty: no checkpoints.",
    default="",
)
TONGBAN_AUDIT_CHECKPOINT_KEY_FILE = env.str_(
    "TONGBAN_AUDIT_CHECKPOINT_KEY_FILE",
    help="File holding the private key reference (TONGBAN_SIGNER's format) that signs audit checkpoints; "
    "make a pair with python -c 'from tongban.core.signing import get_signer; k=get_signer().generate_key(); "
    "print(k.private_key_ref); print(k.public_key_pem)'. Keep it off the database host.",
    default="",
)
TONGBAN_AUDIT_CHECKPOINT_PUBLIC_KEY_FILE = env.str_(
    "TONGBAN_AUDIT_CHECKPOINT_PUBLIC_KEY_FILE",
    help="PEM public key trusted for audit checkpoints; verify_audit checks the newest checkpoint with it.",
    default="",
)
TONGBAN_AUDIT_RETENTION_DAYS = env.int_(
    "TONGBAN_AUDIT_RETENTION_DAYS",
    help="Days audit rows are kept before manage.py purge_audit removes them; at least 180 (网络安全法 Art. 21), "
    "smaller values are refused.",
    default=180,
)
TONGBAN_AUDIT_CASE_RETENTION_DAYS = env.int_(
    "TONGBAN_AUDIT_CASE_RETENTION_DAYS",
    help="Days audit rows about a case (application, task, work order, license …) are kept; at least "
    "TONGBAN_AUDIT_RETENTION_DAYS.",
    default=3650,
)
if TONGBAN_AUDIT_RETENTION_DAYS < 180 or TONGBAN_AUDIT_CASE_RETENTION_DAYS < TONGBAN_AUDIT_RETENTION_DAYS:
    raise ImproperlyConfigured(
        "TONGBAN_AUDIT_RETENTION_DAYS must be at least 180 and TONGBAN_AUDIT_CASE_RETENTION_DAYS at least as long"
    )
# A Django superuser signs in only inside a break-glass window (manage.py break_glass) in production; not an
# environment variable, so nobody switches it off at run time (T-B6). Tests set it to exercise it.
TONGBAN_BREAK_GLASS_REQUIRED = not DEBUG

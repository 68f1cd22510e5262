"""Settings shared by every environment. Environment files override only what differs."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "zhenjie.core",
    "zhenjie.organizations",
    "zhenjie.accounts",
    "zhenjie.staffing",
    "zhenjie.personnel",
    "zhenjie.powers",
    "zhenjie.duties",
    "zhenjie.agencies",
    "zhenjie.enforcement",
    "zhenjie.jobs",
    "zhenjie.reminders",
    "zhenjie.workflows",
    "zhenjie.exchange",
    "zhenjie.api",
    "zhenjie.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Widgets render with Bootstrap classes from templates/django/forms/widgets/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "config.wsgi.application"

# One setting chooses the database: SQLite by default, PostgreSQL in production and CI.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from the npm registry (package.json) at set-up time, never a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background jobs run through Django's tasks framework on a database queue; `manage.py db_worker`
# is the worker (bin/setup starts one beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    # Service ValidationError -> 400 with Chinese messages by field; PermissionDenied -> 403.
    "EXCEPTION_HANDLER": "zhenjie.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "镇街 zhenjie API",
    "DESCRIPTION": "乡镇(街道)管理体制: 机构、编制、实名制人员等登记簿的接口。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Stable names for choice sets that share a field name (kept in step with zhenjie/api/schema.py).
    "ENUM_NAME_OVERRIDES": {
        "DivisionLevelEnum": "zhenjie.organizations.choices.DivisionLevel",
        "UnitKindEnum": "zhenjie.organizations.choices.UnitKind",
        "UnitNatureEnum": "zhenjie.organizations.choices.UnitNature",
        "UnitRankEnum": "zhenjie.organizations.choices.UnitRank",
        "QuotaNatureEnum": "zhenjie.api.serializers.QUOTA_NATURES",
        "MovementKindEnum": "zhenjie.staffing.choices.MovementKind",
        "DirectMovementKindEnum": "zhenjie.api.serializers.DIRECT_MOVEMENT_KINDS",
        "LeadershipLevelEnum": "zhenjie.staffing.choices.LeadershipLevel",
        "GenderEnum": "zhenjie.personnel.choices.Gender",
        "EducationEnum": "zhenjie.personnel.choices.Education",
        "PoliticalStatusEnum": "zhenjie.personnel.choices.PoliticalStatus",
        "EntryChannelEnum": "zhenjie.personnel.choices.EntryChannel",
        "ExitReasonEnum": "zhenjie.personnel.choices.ExitReason",
        "OfficerExitReasonEnum": "zhenjie.api.serializers.OFFICER_EXIT_REASONS",
        "PostKindEnum": "zhenjie.personnel.choices.PostKind",
        "JobStatusEnum": "zhenjie.jobs.models.JobStatus",
        "DelegationModeEnum": "zhenjie.powers.choices.DelegationMode",
        "GranteeEnum": "zhenjie.powers.choices.Grantee",
        "AcceptanceStatusEnum": "zhenjie.powers.choices.AcceptanceStatus",
        "GuidanceKindEnum": "zhenjie.powers.choices.GuidanceKind",
        "ListKindEnum": "zhenjie.duties.choices.ListKind",
        "EditionStatusEnum": "zhenjie.duties.choices.EditionStatus",
        "DutyClassEnum": "zhenjie.duties.choices.DutyClass",
        "MeetingKindEnum": "zhenjie.duties.choices.MeetingKind",
        "MatterTypeEnum": "zhenjie.duties.choices.MatterType",
        "AdmissionStatusEnum": "zhenjie.duties.choices.AdmissionStatus",
        "StageEnum": "zhenjie.enforcement.choices.Stage",
        "ProcedureEnum": "zhenjie.enforcement.choices.Procedure",
        "PartyKindEnum": "zhenjie.enforcement.choices.PartyKind",
        "DecisionKindEnum": "zhenjie.enforcement.choices.DecisionKind",
        "PenaltyKindEnum": "zhenjie.enforcement.choices.PenaltyKind",
        "OnSpotPenaltyKindEnum": "zhenjie.api.serializers_enforcement.ON_SPOT_PENALTY_KINDS",
        "AssessmentPartyEnum": "zhenjie.agencies.choices.AssessmentParty",
        "MoveKindEnum": "zhenjie.agencies.choices.MoveKind",
        "MoveStatusEnum": "zhenjie.agencies.choices.MoveStatus",
        "MoveDecisionEnum": "zhenjie.agencies.choices.MoveDecision",
        "TaskOutcomeEnum": "zhenjie.agencies.choices.TaskOutcome",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# Domain settings; each default and its source is listed in docs/rules.md.
ZHENJIE = {
    # "hard": enrolment beyond the quota balance is refused; "warn": allowed with a warning
    # (国务院令第486号 第6条: 机构实有人员不得突破规定的编制).
    "QUOTA_ENFORCEMENT": os.environ.get("ZHENJIE_QUOTA_ENFORCEMENT", "hard"),
    # The report: one office docks with about six county departments on average.
    "DOCKING_EXPECTED_AVERAGE": 6,
    # Largest file accepted for import (bytes); keep the reverse proxy's body limit above it.
    "IMPORT_MAX_BYTES": int(os.environ.get("ZHENJIE_IMPORT_MAX_BYTES", str(50 * 1024 * 1024))),
    # Days an approver has to decide a submitted request (the reminder's due date).
    "APPROVAL_DUE_DAYS": int(os.environ.get("ZHENJIE_APPROVAL_DUE_DAYS", "5")),
    # Seconds after which a running job whose worker is on another server (so its process
    # cannot be checked) is taken as interrupted.
    "JOB_STALE_AFTER": int(os.environ.get("ZHENJIE_JOB_STALE_AFTER", str(6 * 3600))),
    # Public address for absolute links in mailed digests ("" = paths only).
    "SITE_URL": os.environ.get("ZHENJIE_SITE_URL", ""),
    # Share of the host town's score in a dispatched agency's combined annual assessment (the
    # department's share is the rest). Local choice: no source fixes it; below one half because
    # the report says 以部门管理为主 (一.2). Between 0 and 1 (system check agencies.E001).
    "AGENCY_TOWN_WEIGHT": os.environ.get("ZHENJIE_AGENCY_TOWN_WEIGHT", "0.4"),
    # Days the host town has to give its opinion on an agency's personnel move (reminder due
    # date). Local choice.
    "AGENCY_OPINION_DUE_DAYS": int(os.environ.get("ZHENJIE_AGENCY_OPINION_DUE_DAYS", "10")),
    # Comprehensive administrative law enforcement (综合行政执法); sources in docs/rules.md.
    "ENFORCEMENT": {
        # 内蒙古自治区行政执法证件管理办法 (自治区政府令第96号): 证件每6年换发一次, 3年一审注册.
        "CERTIFICATE_VALID_YEARS": 6,
        "CERTIFICATE_REVIEW_YEARS": 3,
        # 行政处罚法 第42条 and the report (各执法队伍均有两人以上取得执法资格证).
        "MIN_OFFICERS": 2,
        # 行政处罚法 第60条: decision within 90 days of 立案.
        "DECISION_DAYS": 90,
        # Longest single extension; the statute names none (市场监管行政处罚程序规定: 30 days).
        "EXTENSION_MAX_DAYS": 30,
        # 第61条: delivery within 7 days; 第64条: hearing asked within 5 days, noticed 7 ahead.
        "DELIVERY_DAYS": 7,
        "HEARING_REQUEST_DAYS": 5,
        "HEARING_NOTICE_DAYS": 7,
        # 第67条: fines paid within 15 days; 第72条: 3% a day, at most the fine itself.
        "PAYMENT_DAYS": 15,
        "SURCHARGE_DAILY_RATE": "0.03",
        # 第51条: 简易程序 up to 200 yuan for a person, 3,000 for an organisation.
        "SIMPLE_LIMIT_PERSON": 200,
        "SIMPLE_LIMIT_ORGANISATION": 3000,
        # 第58条/第63条 较大数额: no regional figure found; fines from this amount need a
        # legal review (法制审核) and carry the right to a hearing.
        "MAJOR_FINE": 10000,
        # Certificate expiry and review reminders start this many days ahead (info, then warning).
        "CERTIFICATE_REMIND_DAYS": [90, 30],
        # Case deadlines (decision, delivery, payment) are reminded this many days ahead.
        "CASE_REMIND_DAYS": 7,
    },
}

# Mail (the daily reminder digest): console in development, SMTP in production via the environment.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        )
    }
}

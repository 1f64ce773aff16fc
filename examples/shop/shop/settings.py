"""Django settings for the shop project."""
import os
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key")
DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "orders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "shop.urls"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        "ATOMIC_REQUESTS": True,
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TIME_ZONE = "UTC"
USE_TZ = True
MEDIA_ROOT = BASE_DIR / "media"

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "orders@shop.example.com"
PURCHASING_EMAIL = "purchasing@shop.example.com"

# Third-party integrations
WAREHOUSE_API_URL = "https://wms.example.com/api/v2"
CRM_API_URL = "https://crm.example.com/api"
PAYMENT_GATEWAY_URL = "https://pay.example.com/v1"
CARRIER_API_URL = "https://carrier.example.com/api"
MARKETPLACE_API_URL = "https://marketplace.example.com/api"
ERP_API_URL = "https://erp.example.com/api"
SUPPLIER_FEED_URL = "https://supplier.example.com/feeds/catalogue.csv"

# Celery
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 1800}
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "redis://localhost:6379/1")
CELERY_RESULT_EXPIRES = None  # the order page shows task state, keep it
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

CELERY_BEAT_SCHEDULE = {
    "expire-stale-carts": {
        "task": "orders.tasks.expire_stale_carts",
        "schedule": timedelta(minutes=5),
    },
    "sync-supplier-catalogue": {
        "task": "orders.tasks.sync_supplier_catalogue",
        "schedule": crontab(hour=3),
    },
    "abandoned-cart-reminders": {
        "task": "orders.tasks.send_abandoned_cart_reminders",
        "schedule": timedelta(days=1),
    },
    "daily-sales-report": {
        "task": "orders.tasks.send_daily_sales_report",
        "schedule": crontab(minute=30, hour=6),
    },
    "cancel-unpaid-orders": {
        "task": "orders.cancel_unpaid_orders",
        "schedule": crontab(minute=0, hour="*/6"),
        "options": {"expires": 6 * 60 * 60},
    },
}

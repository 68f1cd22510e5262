"""The daily digest (每日待办提醒): one mail per active user who has reminders and an address."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string

from .selectors import reminders_for


def digest_build(*, user: Any, today: dt.date) -> EmailMessage | None:
    """The digest mail for ``user`` on ``today``, or None when there is nothing to send."""
    if not user.is_active or not user.email:
        return None
    reminders = reminders_for(user=user, today=today)
    if not reminders:
        return None
    body = render_to_string(
        "reminders/digest_email.txt",
        {
            "name": user.first_name or user.username,
            "today": today,
            "reminders": reminders,
            # Absolute links when the public address is configured (mail has no current host).
            "site_url": str(settings.ZHENJIE.get("SITE_URL", "")).rstrip("/"),
        },
    )
    return EmailMessage(
        subject=f"【镇街】{today.isoformat()} 待办提醒({len(reminders)}项)",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def digest_send_all(*, today: dt.date) -> int:
    """Build and send every active user's digest over one connection; returns mails sent."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="").order_by("pk")
    mails = [m for m in (digest_build(user=u, today=today) for u in users) if m is not None]
    if not mails:
        return 0
    # The default mailer of settings.MAILERS (console in development, SMTP in production).
    return int(mailers.default.send_messages(mails) or 0)

"""Configuration from the environment (and a `.env` file in the working folder), documented in `.env.example`.

pydantic-settings reads, types and validates it. Rejected: hand-rolled os.environ parsing (every consumer
re-validating), python-decouple (no typed lists).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DB = "koryu.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
# the settings that are secrets: never logged, not even in part (see `redacted` and bot.server's log filter)
SECRETS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")
# the placeholder each secret has in .env.example (a test holds the file to these): `koryu serve` refuses them
EXAMPLE_VALUES = {
    "SLACK_BOT_TOKEN": "xoxb-your-bot-token",
    "SLACK_SIGNING_SECRET": "your-signing-secret",
    "SLACK_APP_TOKEN": "xapp-your-app-token",
}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Every variable of the configuration contract (docs/DESIGN.md). Secrets are never logged (see `redacted`)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False)

    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    slack_api_url: str = DEFAULT_SLACK_API_URL
    koryu_db: str = DEFAULT_DB
    koryu_reports_dir: str = "reports"
    # NoDecode: a comma-separated value ("U1,U2"), not JSON, as docs/DESIGN.md documents it
    koryu_admin_users: Annotated[list[str], NoDecode] = Field(default_factory=list)
    koryu_command: str = "/koryu"
    koryu_max_upload_bytes: int = 20 * 1024 * 1024
    # The question log keeps Slack user IDs only when this is true (default: questions are logged without them).
    koryu_log_users: bool = False
    # Question-log entries older than this many days are deleted. At least 1.
    koryu_question_log_days: int = Field(default=180, ge=1)
    # Level of `koryu serve`'s log: DEBUG, INFO, WARNING, ERROR or CRITICAL.
    koryu_log_level: str = "INFO"
    port: int = 3000

    @field_validator("koryu_admin_users", mode="before")
    @classmethod
    def _split_users(cls, v: object) -> object:
        if isinstance(v, str):
            return [u.strip() for u in v.split(",") if u.strip()]
        return v

    @field_validator("slack_bot_token", "slack_signing_secret", "slack_app_token")
    @classmethod
    def _one_token(cls, v: str) -> str:
        """A secret is one word: a line break or a space inside it (a paste that took two lines) is refused
        at start, before it can reach an HTTP header or an error message. The value is never in the error."""
        v = v.strip()
        if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in v):
            raise ValueError("contains a line break, a space or a control character")
        return v

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, v: str) -> str:
        v = v.strip() or DEFAULT_SLACK_API_URL
        return v if v.endswith("/") else v + "/"

    @field_validator("koryu_command")
    @classmethod
    def _slash(cls, v: str) -> str:
        v = v.strip() or "/koryu"
        return v if v.startswith("/") else "/" + v

    @field_validator("koryu_log_level")
    @classmethod
    def _level(cls, v: str) -> str:
        v = v.strip().upper() or "INFO"
        if v not in LOG_LEVELS:
            raise ValueError("one of " + ", ".join(LOG_LEVELS))
        return v

    @property
    def reports_dir(self) -> Path:
        return Path(self.koryu_reports_dir)

    def is_admin(self, user_id: str | None) -> bool:
        """True when the Slack user id is listed in KORYU_ADMIN_USERS."""
        return bool(user_id) and user_id in self.koryu_admin_users

    def secret_values(self) -> list[str]:
        """The secrets that are set, for scrubbing them from logs."""
        return [v for v in (getattr(self, name.lower()) for name in SECRETS) if v]

    def still_example(self, names: tuple[str, ...] | list[str]) -> list[str]:
        """Those of the named settings that still hold their placeholder from .env.example."""
        return [n for n in names if n in EXAMPLE_VALUES and getattr(self, n.lower()).strip() == EXAMPLE_VALUES[n]]

    def redacted(self) -> dict[str, object]:
        """The settings, safe to log: each secret only as "set", "not set" or "the example value" (still
        .env.example's placeholder), never any part of it."""
        d = self.model_dump()
        for name in SECRETS:
            value = d[name.lower()]
            d[name.lower()] = (
                "the example value" if value and value == EXAMPLE_VALUES.get(name) else "set" if value else "not set"
            )
        return d


class SettingsError(ValueError):
    """A setting with a value it cannot have, said in one line."""


def load() -> Settings:
    """The settings from the environment and .env; SettingsError (one line naming each wrong setting) when a
    value is invalid, instead of pydantic's multi-line report."""
    try:
        return Settings()
    except ValidationError as e:
        names = "、".join(dict.fromkeys(".".join(map(str, err["loc"])).upper() for err in e.errors()))
        wrong = "; ".join(f"{'.'.join(map(str, err['loc'])).upper()}: {err['msg']}" for err in e.errors())
        raise SettingsError(f"{names} の値が正しくありません / invalid setting {wrong} (see .env.example)") from None

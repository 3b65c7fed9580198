"""What `Record.from_dict` accepts: a record as an export (JSON) or its CSV holds it, checked field by field
with pydantic before it becomes a `store.records.Record`. Its own module because building the model costs
~50 ms, which a one-shot `koryu ask` should not pay: only reading an export imports it."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator, model_validator


def _json_text(value: Any) -> Any:
    """A CSV cell holds JSON text for a list or object; "" is none."""
    if isinstance(value, str):
        return json.loads(value) if value.strip() else None
    return value


def _iso_date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an ISO date")
    return date.fromisoformat(value)


Text = Annotated[str, BeforeValidator(lambda v: "" if v is None else v)]  # absent or null is empty text
Required = Annotated[str, StringConstraints(min_length=1)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
OptionalIsoDate = Annotated[date | None, BeforeValidator(lambda v: _iso_date(v) if v else None)]


class RecordInput(BaseModel):
    """A record as an export (JSON) or its CSV holds it, checked field by field before it becomes a Record.
    Numbers are accepted as text (a CSV cell 2024, a code 172014); anything else of the wrong type is refused."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    fiscal_year: int = Field(ge=1900, le=2999)
    municipality: Required
    municipality_code: Annotated[str | None, StringConstraints(pattern=r"^\d{1,6}$")] = None
    printed_name: Text = ""
    description: Required
    department: Text = ""
    period_text: Text = ""
    intervals: Annotated[list[tuple[IsoDate, OptionalIsoDate]], BeforeValidator(lambda v: _json_text(v) or [])] = []
    approximate: bool = False
    source: Annotated[dict[str, Any], BeforeValidator(lambda v: _json_text(v) or {})] = {}
    id: Text = ""
    series: Text = ""
    problems: Annotated[list[str], BeforeValidator(lambda v: _json_text(v) or [])] = []

    @field_validator("fiscal_year", mode="before")
    @classmethod
    def _year(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError(f"{v!r} is not a year")
        return unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v  # ２０２４ typed in Excel

    @field_validator("municipality_code", mode="before")
    @classmethod
    def _code(cls, v: Any) -> Any:
        return None if v is None or v == "" else v

    @field_validator("approximate", mode="before")
    @classmethod
    def _flag(cls, v: Any) -> bool:
        return v.strip().lower() in ("1", "true", "yes") if isinstance(v, str) else bool(v)

    @model_validator(mode="before")
    @classmethod
    def _csv_source(cls, d: Any) -> Any:
        """A CSV row names its source in columns (source_file, source_page, source_row)."""
        if isinstance(d, dict) and not d.get("source") and (d.get("source_file") or d.get("source_page") or d.get("source_row")):
            page, row = d.get("source_page"), d.get("source_row")
            d = {**d, "source": {"file": d.get("source_file") or "", "page": page, "row": row}}
        return d

    @field_validator("source")
    @classmethod
    def _source(cls, v: dict[str, Any]) -> dict[str, Any]:
        def number(x: Any) -> int | None:
            if isinstance(x, int) and not isinstance(x, bool):
                return x
            return int(x) if isinstance(x, str) and x.strip().isdigit() else None

        row = number(v.get("row"))
        return {"file": str(v.get("file") or ""), "page": number(v.get("page"))} | ({"row": row} if row is not None else {})

    @model_validator(mode="after")
    def _ordered(self) -> RecordInput:
        for a, b in self.intervals:
            if b is not None and b < a:
                raise ValueError(f"interval [{a}, {b}] ends before it starts")
        return self

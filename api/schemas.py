"""The shapes of the API's answers: one pydantic model validates and documents each."""

import datetime

from ninja import Schema
from pydantic import Field


class Text(Schema):
    """A text in both languages; an empty string where it has not been written."""

    en: str
    zh_hans: str


class Links(Schema):
    api: str = Field(description="This resource in the API.")
    page_en: str | None = Field(None, description="The public page in English.")
    page_zh_hans: str | None = Field(None, description="The public page in Chinese.")


class Error(Schema):
    detail: str = Field(description="What went wrong, in words for a person.")


class ValidationErrorItem(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrors(Schema):
    detail: list[ValidationErrorItem]


class InstitutionRef(Schema):
    slug: str
    name: Text
    links: Links


class Role(Schema):
    institution: InstitutionRef
    role: str
    role_label: Text


class KeyFigure(Schema):
    """A number organizers or a source reported (not computed from the data)."""

    label: Text
    qualifier: str = Field(description="exact, over, about or under")
    value: str = Field(description="A decimal number, as a string.")
    unit: str = Field(description="count, yuan, usd or percent")
    usd_equivalent: str | None
    as_of: datetime.date | None
    source: Text
    source_url: str


class Computed(Schema):
    """What the data adds up to, as opposed to reported key figures."""

    institutions: int = Field(description="Distinct institutions approved to take part.")
    agreements: int = Field(description="Agreements signed at the edition(s).")
    amount_yuan: str | None = Field(
        description="Sum of the amounts stated in those agreements; null when none states one."
    )


class EditionOutcome(Computed):
    edition: str = Field(description="The edition's slug.")
    running_institutions: int
    running_agreements: int
    running_amount_yuan: str | None


class SeriesRef(Schema):
    slug: str
    name: Text


class Registration(Schema):
    state: str = Field(description="none, not_yet_open, open or closed")
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    form_en: str | None
    form_zh_hans: str | None


class EditionSummary(Schema):
    slug: str
    title: Text
    summary: Text
    series: SeriesRef
    start_date: datetime.date
    end_date: datetime.date
    start_time: str | None = Field(description="Beijing time, HH:MM, when known.")
    end_time: str | None
    city: Text
    registration: Registration
    links: Links


class Speaker(Schema):
    name: Text
    position: Text
    institution: InstitutionRef | None
    role: str
    role_label: Text


class Venue(Schema):
    id: int
    kind: str
    name: Text
    theme: Text
    place: Text
    description: Text
    capacity: int | None


class Session(Schema):
    id: int
    venue_id: int | None
    title: Text
    description: Text
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    speakers: list[Speaker]


class EditionDetail(EditionSummary):
    description: Text
    address: Text
    hosts: list[Role]
    venues: list[Venue]
    sessions: list[Session]
    reported_figures: list[KeyFigure]
    computed: Computed
    public_participants: int = Field(description="Institutions that agreed to be listed.")


class SeriesSummary(Schema):
    slug: str
    name: Text
    description: Text
    organizer: InstitutionRef
    links: Links


class SeriesDetail(SeriesSummary):
    editions: list[EditionSummary]
    reported_figures: list[KeyFigure]
    computed: Computed
    outcomes: list[EditionOutcome] = Field(description="Computed, per edition, oldest first.")


class Institution(Schema):
    slug: str
    name: Text
    kind: str
    kind_label: Text
    city: Text
    district: Text
    website: str
    description: Text
    parent: InstitutionRef | None
    capital_under_management_yuan: str | None
    links: Links


class EditionRef(Schema):
    slug: str
    title: Text


class Agreement(Schema):
    id: int
    kind: str
    kind_label: Text
    title: Text
    purpose: Text
    signed_on: datetime.date | None
    amount_yuan: str | None
    edition: EditionRef | None
    parties: list[Role]
    links: Links


class Licence(Schema):
    name: str
    url: str


class EditionKeyFigure(KeyFigure):
    edition: str


class ReportedFigures(Schema):
    series: list[KeyFigure]
    editions: list[EditionKeyFigure]


class SeriesDump(Schema):
    """All public data of a series in one document: for researchers and archives."""

    licence: Licence
    generated_at: datetime.datetime
    source: str
    series: SeriesSummary
    editions: list[EditionSummary]
    agreements: list[Agreement]
    reported_figures: ReportedFigures
    computed: Computed
    outcomes: list[EditionOutcome]
    followup_outcomes: "Outcomes"
    agreement_progress: list["AgreementProgress"]


class Page(Schema):
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page.")
    next: str | None = Field(description="The next page's address; null on the last page.")


class SeriesPage(Page):
    items: list[SeriesSummary]


class EditionPage(Page):
    items: list[EditionSummary]


class InstitutionPage(Page):
    items: list[Institution]


class AgreementPage(Page):
    items: list[Agreement]


# --- staff ------------------------------------------------------------------------------------


class StaffRegistration(Schema):
    id: int
    edition: str
    institution: InstitutionRef
    status: str
    status_label: Text
    delegates: int
    venue_ids: list[int]
    listed_publicly: bool
    contact_name: str
    contact_position: str
    contact_email: str
    contact_phone: str
    language: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class StaffRegistrationPage(Page):
    items: list[StaffRegistration]


# --- follow-up (branch followup) -----------------------------------------------------------------


class CurrencyAmount(Schema):
    currency: str = Field(description="ISO 4217 code; amounts are never converted or added.")
    amount: str


class Rate(Schema):
    key: str = Field(
        description="performance, landed, started, capital, mou_conversion or terminated"
    )
    label: Text
    definition: Text
    count: int
    of: int = Field(description="The denominator.")
    percent: str | None = Field(description="One decimal; null when the denominator is 0.")


class CapitalShare(Schema):
    """Capital in place against the capital contracted, in one currency (资金到位率 by amount)."""

    currency: str = Field(description="The contracts' currency (ISO 4217).")
    in_place: str = Field(description="Verified capital in place in that currency.")
    contracted: str
    agreements: int = Field(
        description="Agreements with a contracted amount whose amounts and capital in place "
        "are both published: the only ones counted."
    )
    percent: str | None = Field(description="in_place ÷ contracted × 100; may pass 100.")


class Outcomes(Schema):
    """Follow-up of the agreements of an edition or series: what staff chose to publish."""

    agreements: int
    counted: int = Field(
        description="Agreements whose progress is published: the denominator of every rate "
        "but the MoU conversion (whose denominator is the MoUs counted)."
    )
    not_counted: int = Field(description="Agreements whose progress is not published.")
    rates: list[Rate]
    announced_amount_yuan: str | None = Field(
        description="Sum of the amounts announced at signing."
    )
    contracted: list[CurrencyAmount]
    capital_in_place: list[CurrencyAmount] = Field(description="Verified entries only.")
    capital_shares: list[CapitalShare]


class Milestone(Schema):
    stage: str
    stage_label: Text
    reached_on: datetime.date


class AgreementProgress(Schema):
    agreement_id: int
    stage: str | None = Field(description="Null when the stage is not published.")
    stage_label: Text | None
    milestones: list[Milestone]
    announced_amount_yuan: str | None
    contracted: CurrencyAmount | None = Field(description="Null when none or not published.")
    capital_in_place: list[CurrencyAmount] | None = Field(description="Null when not published.")

"""Types of the plain dicts that sellkit returns.

Results are ordinary ``dict`` objects exactly as the server sent them; these ``TypedDict``
classes describe the documented fields for type checkers. Every class is ``total=False``: a
server may leave a field out, and fields it adds later are kept in the dict too.
"""

from __future__ import annotations

from typing import Any, List, Optional, TypedDict

__all__ = [
    "FieldDetail",
    "ProfileImageArtifact",
    "ApiCallback",
    "SocialMediaInfo",
    "Address",
    "PersonalProfile",
    "CompanyProfile",
    "Organization",
    "ProfileSummary",
    "Profile",
    "ComposerKey",
    "ComposerKeys",
    "FileRecord",
    "UploadResult",
    "ScanReport",
    "Price",
    "EqpStatus",
    "Package",
    "BatchItem",
    "TestRunSummary",
    "TestDetail",
    "CallbackEvent",
    "TokenSet",
    "PriceModel",
    "Ad",
    "Category",
    "User",
    "Order",
    "Image",
    "WebhookEvent",
]


class FieldDetail(TypedDict):
    """One field-level problem in a :class:`sellkit.SellkitError`."""

    field: Optional[str]
    code: Optional[str]
    message: Optional[str]
    value: Any


class ProfileImageArtifact(TypedDict, total=False):
    """The uploaded file used as profile image."""

    file_upload_id: str
    filename: str
    content_type: str
    url: str
    size: int
    file_hash: str
    malware_status: str


class ApiCallback(TypedDict, total=False):
    """A registered EQP callback (its password is write-only and never returned)."""

    name: str
    url: str
    username: str


class SocialMediaInfo(TypedDict, total=False):
    twitter: str
    stackexchange_url: str
    facebook_url: str
    linkedin_url: str
    github_username: str


class Address(TypedDict, total=False):
    address_key: int
    address_line_1: str
    address_line_2: str
    apt_suite_other: str
    city: str
    state: str
    country: str
    postal_code: str
    phone: str
    country_code: str
    is_primary: bool


class PersonalProfile(TypedDict, total=False):
    bio: str
    website_url: str
    last_logged_in: str
    created_at: str
    modified_at: str
    social_media_info: SocialMediaInfo
    addresses: List[Address]


class CompanyProfile(TypedDict, total=False):
    name: str
    bio: str
    website_url: str
    primary_email: str
    support_email: str
    created_at: str
    modified_at: str
    social_media_info: SocialMediaInfo
    addresses: List[Address]


class Organization(TypedDict, total=False):
    """An Adobe organization the user belongs to."""

    org_id: str
    org_name: str


class ProfileSummary(TypedDict, total=False):
    """``client.users.get(style="summary")``."""

    mage_id: str
    adobe_user_id: str
    first_name: str
    last_name: str
    email: str
    screen_name: str
    has_completed_profile: bool
    has_accepted_tos: bool
    profile_image_artifact: ProfileImageArtifact


class Profile(ProfileSummary, total=False):
    """``client.users.get()``: the whole EQP profile of the key's account.

    Timestamps are strings as the server sends them (``YYYY-MM-DD HH:MM:SS``, UTC).
    ``payment_info`` is a JSON document encoded as a string.
    """

    send_newsletter: bool
    tos_accepted_version: str
    tos_accepted_date: str
    is_company: bool
    vendor_name: str
    partner_level: int
    locale: str
    timezone: str
    payment_type: int
    payment_info: str
    taxpayer_type: int
    tax_review_status: int
    tax_withhold_percent: int
    extension_share_percent: int
    theme_share_percent: int
    install_share_percent: int
    support_share_percent: int
    privacy_policy_url: str
    api_callbacks: List[ApiCallback]
    personal_profile: PersonalProfile
    company_profile: CompanyProfile
    organizations: List[Organization]


# --- EQP (reference §7.4). Prices are strings with two decimals ("15.50"): exact, never a
# float; pass them to ``decimal.Decimal`` for arithmetic. Timestamps are as the server sent them.


class ComposerKey(TypedDict, total=False):
    """An access key of the Composer repository (``client.users.keys``); M1 entries carry
    ``product_name`` and ``product_key`` instead."""

    label: str
    user_key: str
    password_key: str
    is_enabled: bool
    uid: str
    product_name: str
    product_key: str


class ComposerKeys(TypedDict, total=False):
    """``client.users.keys.list()``: the keys per Magento generation."""

    m2: List[ComposerKey]
    m1: List[ComposerKey]


class FileRecord(TypedDict, total=False):
    """An uploaded file (``client.files``)."""

    file_upload_id: str
    filename: str
    content_type: str
    size: int
    file_hash: str
    malware_status: str
    """``"in-progress"``, ``"pass"`` or ``"fail"`` (other values kept as sent)."""
    submission_ids: List[str]
    is_profile_image: bool
    url: str


class UploadResult(FileRecord, total=False):
    """One entry of ``client.files.upload(...)``, in the order of the files given."""


class ScanReport(TypedDict, total=False):
    """``client.files.wait_for_scan(...)``."""

    passed: List[FileRecord]
    failed: List[FileRecord]
    timed_out: List[str]
    all_passed: bool


class Price(TypedDict, total=False):
    edition: str
    price: str
    """Two decimals, as a string (``"15.50"``)."""
    installation_price: str


class EqpStatus(TypedDict, total=False):
    """``eqp_status`` of a package: the state of each review track."""

    overall: Any
    technical: Any
    marketing: Any


class Package(TypedDict, total=False):
    """An EQP package (extension, theme or shared package). Unknown fields are kept."""

    submission_id: str
    item_id: str
    action: Any
    type: str
    platform: str
    name: str
    sku: str
    version: str
    url_key: str
    short_description: str
    long_description: str
    release_notes: str
    version_compatibility: List[Any]
    categories: List[str]
    browsers: List[str]
    artifact: Any
    documentation_artifacts: Any
    media_artifacts: Any
    shared_packages: List[Any]
    license_type: str
    custom_license_name: str
    custom_license_url: str
    prices: List[Price]
    stability: str
    eqp_status: EqpStatus
    launch_on_approval: bool
    created_at: str
    modified_at: str


class BatchItem(TypedDict, total=False):
    """One entry of a batch result: the item at ``index`` of the input."""

    index: int
    ok: bool
    code: int
    message: str
    data: Any
    recovered: bool
    error: Any


class TestRunSummary(TypedDict, total=False):
    """One tool run of ``client.test_results.summary(...)``."""

    tool: str
    tool_run_id: str
    status: str
    date: str
    magento_version: str
    magento_edition: str
    php_version: str
    totals: Any


class TestDetail(TypedDict, total=False):
    """``client.test_results.detail(...)``; ``reports`` as sent (a list or an object)."""

    tool: str
    tool_run_id: str
    status: str
    reports: Any
    details: Any


class CallbackEvent(TypedDict, total=False):
    """A parsed EQP callback (``sellkit.eqp.parse_callback``)."""

    callback_event: str
    """``"eqp_status_update"`` or ``"malware_scan_complete"`` (others kept as sent)."""
    submission_id: str
    item_id: str
    file_upload_id: str
    eqp_status: Any
    update_info: Any
    malware_status: str


# --- Marktplaats (Admarkt seller API). Amounts are integer euro cents.


class TokenSet(TypedDict, total=False):
    """Tokens handed to ``on_token`` and returned by the OAuth calls (persist them)."""

    access_token: str
    refresh_token: str
    expires_in: int
    scope: str
    token_type: str


class PriceModel(TypedDict, total=False):
    modelType: str
    """``"fixed"``, ``"bidding"``, ``"negotiable"``, ...; ``askingPrice`` in euro cents."""
    askingPrice: int
    minimalBid: int


class Ad(TypedDict, total=False):
    """An advertisement (HAL ``_links``/``_embedded`` kept)."""

    itemId: str
    title: str
    description: str
    categoryId: int
    priceModel: PriceModel
    location: Any
    shippingOptions: List[Any]
    attributes: List[Any]
    status: str
    locale: str
    sellerName: str
    phoneNumber: str
    emailAddress: str
    _links: Any
    _embedded: Any


class Category(TypedDict, total=False):
    categoryId: int
    name: str
    label: str
    parentId: int
    _links: Any
    _embedded: Any


class User(TypedDict, total=False):
    userId: int
    email: str
    name: str
    locale: str
    _links: Any
    _embedded: Any


class Order(TypedDict, total=False):
    orderId: int
    status: str
    products: List[Any]
    _links: Any


class Image(TypedDict, total=False):
    mediaId: str
    status: str
    sizes: Any
    _links: Any


class WebhookEvent(TypedDict, total=False):
    """A Marktplaats webhook envelope."""

    id: str
    eventType: str
    created: str
    eventData: Any

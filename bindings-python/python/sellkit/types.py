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

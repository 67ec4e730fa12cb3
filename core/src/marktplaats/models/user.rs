//! Users, seller profiles, reviews, brands and legal status.

use serde_json::{Map, Number, Value};

use crate::model::model;

model! {
    /// A user (`/v1/users/{userId}`). E-mail, phone number and postcode are only shown to the
    /// user themselves.
    pub struct User {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// User id.
        user_id: i64 = "userId" [always],
        /// E-mail address (unique).
        email: String = "email" [required],
        /// Name (at most 30 characters).
        name: String = "name",
        /// Phone number (Dutch numbers start with `0`, international ones with `+`).
        phone_number: String = "phoneNumber",
        /// Postcode (at most 6 characters).
        postcode: String = "postcode",
        /// `nl-NL` on Marktplaats; `nl-BE` or `fr-BE` on 2dehands/2ememain.
        locale: String = "locale",
        /// `unconfirmed` or `confirmed`.
        status: String = "status",
        /// When the account was confirmed (ISO 8601, as sent; read-only).
        confirm_date: String = "confirmDate",
        /// Tracking program (read-only).
        tracking_program: String = "trackingProgram",
        /// `NONE`, `BASIC`, `PLUS` or `PREMIUM`.
        dealer_package: String = "dealerPackage",
        /// Billing details, as sent (structure undocumented).
        billing: Value = "billing",
    }
}

model! {
    /// A seller profile (`/v1/users/{userId}/profile`); its images are embedded.
    pub struct Profile {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Title (at most 150 characters, no e-mail addresses or URLs).
        title: String = "title",
        /// Description (at most 500 characters).
        description: String = "description",
        /// Video URL (at most 150 characters).
        video_url: String = "videoUrl",
        /// Mission statement (at most 500 characters).
        mission: String = "mission",
        /// Seller website (at most 150 characters).
        seller_url: String = "sellerUrl",
        /// Awards (at most 500 characters).
        awards: String = "awards",
    }
}

model! {
    /// A score with its description.
    pub struct SubScore {
        /// What is scored.
        description: String = "description" [always],
        /// The score.
        score: Number = "score" [always],
    }
}

model! {
    /// Reviews of a user with their averages; the reviews are embedded (`mp:user-review`).
    pub struct Reviews {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Number of reviews.
        number_of_reviews: u64 = "numberOfReviews" [always],
        /// Average overall score.
        average_score: Number = "averageScore" [always],
        /// Average per sub-score.
        average_sub_scores: Vec<SubScore> = "averageSubScores" [always],
    }
}

model! {
    /// Where a user's external reviews come from.
    pub struct ReviewSettings {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// `tevreden` or `klantenvertellen`.
        reviews_platform: String = "reviewsPlatform",
        /// The user's account on that platform (at most 100 characters).
        reviews_user: String = "reviewsUser",
    }
}

model! {
    /// Brands on a user's profile.
    pub struct Brands {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Brand names (read-only).
        brands: Vec<String> = "brands" [always],
    }
}

model! {
    /// DSA legal status (v2).
    pub struct LegalStatus {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// Whether the user is approved as a business seller under the EU Digital Services Act.
        dsa_approved: bool = "dsaApproved" [always],
    }
}

model! {
    /// The answer to an e-mail change request.
    pub struct ChangeEmailResult {
        /// HAL links (`self`, relations such as `mp:...`), as sent.
        links: Map<String, Value> = "_links",
        /// HAL embedded resources, keyed by relation, as sent.
        embedded: Map<String, Value> = "_embedded",
        /// What the server says happens next (a confirmation mail goes to the old address).
        message: String = "message" [always],
    }
}

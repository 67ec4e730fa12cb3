//! Users, seller profiles, reviews, brands and legal status.

use serde_json::{Map, Number, Value};

use crate::model::model;

model! {
    /// A user (`/v1/users/{userId}`). E-mail, phone number and postcode are only shown to the
    /// user themselves.
    pub struct User {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        user_id: i64 = "userId",
        email: String = "email",
        name: String = "name",
        phone_number: String = "phoneNumber",
        postcode: String = "postcode",
        /// `nl-NL` on Marktplaats; `nl-BE` or `fr-BE` on 2dehands/2ememain.
        locale: String = "locale",
        /// `unconfirmed` or `confirmed`.
        status: String = "status",
        confirm_date: String = "confirmDate",
        tracking_program: String = "trackingProgram",
        /// `NONE`, `BASIC`, `PLUS` or `PREMIUM`.
        dealer_package: String = "dealerPackage",
        billing: Value = "billing",
    }
}

model! {
    /// A seller profile (`/v1/users/{userId}/profile`); its images are embedded.
    pub struct Profile {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        title: String = "title",
        description: String = "description",
        video_url: String = "videoUrl",
        mission: String = "mission",
        seller_url: String = "sellerUrl",
        awards: String = "awards",
    }
}

model! {
    /// A score with its description.
    pub struct SubScore {
        description: String = "description",
        score: Number = "score",
    }
}

model! {
    /// Reviews of a user with their averages; the reviews are embedded (`mp:user-review`).
    pub struct Reviews {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        number_of_reviews: u64 = "numberOfReviews",
        average_score: Number = "averageScore",
        average_sub_scores: Vec<SubScore> = "averageSubScores",
    }
}

model! {
    /// Where a user's external reviews come from.
    pub struct ReviewSettings {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        /// `tevreden` or `klantenvertellen`.
        reviews_platform: String = "reviewsPlatform",
        reviews_user: String = "reviewsUser",
    }
}

model! {
    /// Brands on a user's profile.
    pub struct Brands {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        brands: Vec<String> = "brands",
    }
}

model! {
    /// DSA legal status (v2).
    pub struct LegalStatus {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        dsa_approved: bool = "dsaApproved",
    }
}

model! {
    /// The answer to an e-mail change request.
    pub struct ChangeEmailResult {
        links: Map<String, Value> = "_links",
        embedded: Map<String, Value> = "_embedded",
        message: String = "message",
    }
}

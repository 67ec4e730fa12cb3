//! Users, seller profiles, reviews, brands and legal status.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use super::misc::hal_model;

hal_model! {
    /// A user (`/v1/users/{userId}`). E-mail, phone number and postcode are only shown to the
    /// user themselves.
    User {
        user_id: i64 => "userId",
        email: String => "email",
        name: String => "name",
        phone_number: String => "phoneNumber",
        postcode: String => "postcode",
        /// `nl-NL` on Marktplaats; `nl-BE` or `fr-BE` on 2dehands/2ememain.
        locale: String => "locale",
        /// `unconfirmed` or `confirmed`.
        status: String => "status",
        confirm_date: String => "confirmDate",
        tracking_program: String => "trackingProgram",
        /// `NONE`, `BASIC`, `PLUS` or `PREMIUM`.
        dealer_package: String => "dealerPackage",
        billing: Value => "billing",
    }
}

hal_model! {
    /// A seller profile (`/v1/users/{userId}/profile`); its images are embedded.
    Profile {
        title: String => "title",
        description: String => "description",
        video_url: String => "videoUrl",
        mission: String => "mission",
        seller_url: String => "sellerUrl",
        awards: String => "awards",
    }
}

/// A score with its description.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SubScore {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Number>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

hal_model! {
    /// Reviews of a user with their averages; the reviews are embedded (`mp:user-review`).
    Reviews {
        number_of_reviews: u64 => "numberOfReviews",
        average_score: Number => "averageScore",
        average_sub_scores: Vec<SubScore> => "averageSubScores",
    }
}

hal_model! {
    /// Where a user's external reviews come from.
    ReviewSettings {
        /// `tevreden` or `klantenvertellen`.
        reviews_platform: String => "reviewsPlatform",
        reviews_user: String => "reviewsUser",
    }
}

hal_model! {
    /// Brands on a user's profile.
    Brands {
        brands: Vec<String> => "brands",
    }
}

hal_model! {
    /// DSA legal status (v2).
    LegalStatus {
        dsa_approved: bool => "dsaApproved",
    }
}

hal_model! {
    /// The answer to an e-mail change request.
    ChangeEmailResult {
        message: String => "message",
    }
}

use sellkit::eqp::{Client, ProfileStyle};
use sellkit_simulator::Simulator;

#[tokio::test]
async fn smoke() {
    let sim = Simulator::start(Default::default()).unwrap();
    let c = Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url()).build().unwrap();
    let p = c.users().get(Some(ProfileStyle::Summary)).await.unwrap();
    assert_eq!(p.mage_id(), Some("MAG123456789"));
    println!("{:?}", sim.request_counts());
}

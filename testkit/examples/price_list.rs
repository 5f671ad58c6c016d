//! The Price List stand-in as a process, for `scripts/dev`: the local
//! stack has no Price List API (moto has none), so `savings` there asks
//! this one (`AWS_ENDPOINT_URL_PRICING`). It knows the demo fleet's types
//! in `AWS_REGION` at sample prices, close to ap-northeast-2's in 2026 but
//! not AWS's figures: a local `savings` shows how the report reads, not
//! what a real fleet saves. Prints its endpoint, then serves until killed.
//!
//!   cargo run -p curfew-testkit --example price_list

use curfew_testkit::PriceListStandIn;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "ap-northeast-2".to_owned());
    let standin = PriceListStandIn::start().await?;
    for (instance_type, usd) in [
        ("t3.micro", "0.0130000000"),
        ("t3.small", "0.0260000000"),
        ("t3.medium", "0.0520000000"),
        ("m5.large", "0.1180000000"),
    ] {
        standin.add_ec2(&region, instance_type, usd);
    }
    for (class, engine, usd) in [
        ("db.t3.micro", "PostgreSQL", "0.0250000000"),
        ("db.t3.micro", "MySQL", "0.0250000000"),
        ("db.t3.medium", "PostgreSQL", "0.1040000000"),
        ("db.r6g.large", "Aurora PostgreSQL", "0.2900000000"),
    ] {
        standin.add_rds(&region, class, engine, "Single-AZ", usd);
    }
    println!("{}", standin.endpoint());
    std::future::pending::<()>().await;
    Ok(())
}

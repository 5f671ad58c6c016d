//! A small tagged fleet on the local AWS, as the schedules of a test see it.

use aws_sdk_ec2::types::{InstanceType, ResourceType, Tag, TagSpecification};

/// What [`demo_fleet`] created.
#[derive(Debug, Clone)]
pub struct DemoFleet {
    /// EC2 ids of `<tag>-web-1`, `<tag>-web-2` (group `app`).
    pub app: Vec<String>,
    /// The RDS identifier `<tag>-db` (group `db`).
    pub db: String,
}

/// Two EC2 instances (group `app`) and one RDS instance (group `db`), tagged
/// `ScheduleName=<tag>`. With `stopped`, all three are stopped before it returns.
pub async fn demo_fleet(sdk: &aws_config::SdkConfig, tag: &str, stopped: bool) -> DemoFleet {
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let image = any_image(sdk).await;
    let mut app = Vec::new();
    for name in ["web-1", "web-2"] {
        if let Some(id) =
            ec2_instance(sdk, &image, tag, &format!("{tag}-{name}"), Some("app")).await
        {
            app.push(id);
        }
    }
    let db = format!("{tag}-db");
    rds_instance(sdk, &db, tag, Some("db"), false).await;
    if stopped {
        let _ = ec2
            .stop_instances()
            .set_instance_ids(Some(app.clone()))
            .send()
            .await;
        let _ = aws_sdk_rds::Client::new(sdk)
            .stop_db_instance()
            .db_instance_identifier(&db)
            .send()
            .await;
    }
    DemoFleet { app, db }
}

/// One RDS instance `id` (postgres, the smallest class) tagged for `tag`
/// (and `group`); with `stopped`, stopped before it returns. Whether it
/// was created (and stopped).
pub async fn rds_instance(
    sdk: &aws_config::SdkConfig,
    id: &str,
    tag: &str,
    group: Option<&str>,
    stopped: bool,
) -> bool {
    let rds = aws_sdk_rds::Client::new(sdk);
    let rds_tag = |key: &str, value: &str| {
        aws_sdk_rds::types::Tag::builder()
            .key(key)
            .value(value)
            .build()
    };
    let mut create = rds
        .create_db_instance()
        .db_instance_identifier(id)
        .engine("postgres")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("curfew")
        .master_user_password("curfew-local-only")
        .tags(rds_tag("ScheduleName", tag));
    if let Some(group) = group {
        create = create.tags(rds_tag("ScheduleGroupName", group));
    }
    if create.send().await.is_err() {
        return false;
    }
    !stopped
        || rds
            .stop_db_instance()
            .db_instance_identifier(id)
            .send()
            .await
            .is_ok()
}

/// The first image the local AWS offers (any will do for moto).
pub async fn any_image(sdk: &aws_config::SdkConfig) -> String {
    let images = aws_sdk_ec2::Client::new(sdk)
        .describe_images()
        .send()
        .await
        .ok();
    images
        .as_ref()
        .and_then(|i| i.images().first())
        .and_then(|i| i.image_id())
        .unwrap_or("ami-12c6146b")
        .to_owned()
}

/// One running EC2 instance tagged for `tag` (and `group`), named `name`.
pub async fn ec2_instance(
    sdk: &aws_config::SdkConfig,
    image: &str,
    tag: &str,
    name: &str,
    group: Option<&str>,
) -> Option<String> {
    ec2_instance_of(sdk, image, tag, name, group, InstanceType::T3Micro).await
}

/// [`ec2_instance`] of the type `instance_type`.
pub async fn ec2_instance_of(
    sdk: &aws_config::SdkConfig,
    image: &str,
    tag: &str,
    name: &str,
    group: Option<&str>,
    instance_type: InstanceType,
) -> Option<String> {
    let mut tags = TagSpecification::builder()
        .resource_type(ResourceType::Instance)
        .tags(Tag::builder().key("ScheduleName").value(tag).build())
        .tags(Tag::builder().key("Name").value(name).build());
    if let Some(group) = group {
        tags = tags.tags(Tag::builder().key("ScheduleGroupName").value(group).build());
    }
    aws_sdk_ec2::Client::new(sdk)
        .run_instances()
        .image_id(image)
        .instance_type(instance_type)
        .min_count(1)
        .max_count(1)
        .tag_specifications(tags.build())
        .send()
        .await
        .ok()
        .and_then(|r| {
            r.instances()
                .first()
                .and_then(|i| i.instance_id().map(str::to_owned))
        })
}

/// The EC2 state name (`running`, `stopped`, ...) of each id, in order.
pub async fn ec2_states(sdk: &aws_config::SdkConfig, ids: &[String]) -> Vec<String> {
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let mut states = Vec::new();
    for id in ids {
        let state = ec2
            .describe_instances()
            .instance_ids(id)
            .send()
            .await
            .ok()
            .and_then(|o| {
                o.reservations()
                    .iter()
                    .flat_map(|r| r.instances())
                    .find_map(|i| {
                        i.state()
                            .and_then(|s| s.name())
                            .map(|n| n.as_str().to_owned())
                    })
            })
            .unwrap_or_default();
        states.push(state);
    }
    states
}

/// The RDS status (`available`, `stopped`, ...) of one DB instance.
pub async fn rds_status(sdk: &aws_config::SdkConfig, id: &str) -> String {
    aws_sdk_rds::Client::new(sdk)
        .describe_db_instances()
        .db_instance_identifier(id)
        .send()
        .await
        .ok()
        .and_then(|o| {
            o.db_instances()
                .first()
                .and_then(|d| d.db_instance_status().map(str::to_owned))
        })
        .unwrap_or_default()
}

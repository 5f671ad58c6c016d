//! The newer resource kinds on the local AWS (SPEC §5), for the adapter's
//! contract tests and the scheduler's: an Aurora cluster with its writer,
//! and an ECS service. Each test keeps them in a region of its own
//! ([`sdk_in`]): a cluster member anywhere in a region adds
//! `DescribeDBClusters` to every describe there, and other tests count
//! their calls.

/// An SDK configuration for `endpoint` in `region`.
pub async fn sdk_in(endpoint: &str, region: &'static str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new(region))
        .load()
        .await
}

/// An Aurora PostgreSQL cluster `id` tagged `tags`, with its writer
/// `<id>-writer` (tagged alike: a member must never be acted on alone even
/// when it carries the schedule tag). Panics if the local AWS refuses.
pub async fn aurora_cluster(sdk: &aws_config::SdkConfig, id: &str, tags: &[(&str, &str)]) {
    let rds = aws_sdk_rds::Client::new(sdk);
    let tags: Vec<aws_sdk_rds::types::Tag> = tags
        .iter()
        .map(|(key, value)| {
            aws_sdk_rds::types::Tag::builder()
                .key(*key)
                .value(*value)
                .build()
        })
        .collect();
    let created = rds
        .create_db_cluster()
        .db_cluster_identifier(id)
        .engine("aurora-postgresql")
        .master_username("curfew")
        .master_user_password("curfew-local-only")
        .set_tags(Some(tags.clone()))
        .send()
        .await;
    assert!(created.is_ok(), "CreateDBCluster {id}: {created:?}");
    let writer = rds
        .create_db_instance()
        .db_instance_identifier(format!("{id}-writer"))
        .db_cluster_identifier(id)
        .engine("aurora-postgresql")
        .db_instance_class("db.r6g.large")
        .set_tags(Some(tags))
        .send()
        .await;
    assert!(writer.is_ok(), "CreateDBInstance {id}-writer: {writer:?}");
}

/// An ECS service `name` in the cluster `cluster` (made if missing), from a
/// one-container task definition, with `desired` tasks and `tags`.
/// Panics if the local AWS refuses.
pub async fn ecs_service(
    sdk: &aws_config::SdkConfig,
    cluster: &str,
    name: &str,
    desired: i32,
    tags: &[(&str, &str)],
) {
    let ecs = aws_sdk_ecs::Client::new(sdk);
    let made = ecs.create_cluster().cluster_name(cluster).send().await;
    assert!(made.is_ok(), "CreateCluster {cluster}: {made:?}");
    let family = format!("{cluster}-{name}");
    let registered = ecs
        .register_task_definition()
        .family(&family)
        .container_definitions(
            aws_sdk_ecs::types::ContainerDefinition::builder()
                .name(name)
                .image("nginx")
                .memory(128)
                .build(),
        )
        .send()
        .await;
    assert!(
        registered.is_ok(),
        "RegisterTaskDefinition {family}: {registered:?}"
    );
    let tags: Vec<aws_sdk_ecs::types::Tag> = tags
        .iter()
        .map(|(key, value)| {
            aws_sdk_ecs::types::Tag::builder()
                .key(*key)
                .value(*value)
                .build()
        })
        .collect();
    let created = ecs
        .create_service()
        .cluster(cluster)
        .service_name(name)
        .task_definition(family)
        .desired_count(desired)
        .set_tags(Some(tags))
        .send()
        .await;
    assert!(
        created.is_ok(),
        "CreateService {cluster}/{name}: {created:?}"
    );
}

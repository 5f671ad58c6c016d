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

/// The local AWS in `region` as the account of `role` (moto's STS
/// AssumeRole hands out credentials that act in the role's account), or as
/// the default account with no role: how the targets' tests and the
/// fan-out benchmark reach a second account.
pub async fn sdk_as(
    endpoint: &str,
    region: &'static str,
    role: Option<&str>,
) -> aws_config::SdkConfig {
    let own = sdk_in(endpoint, region).await;
    let Some(role) = role else { return own };
    let assumed = aws_config::sts::AssumeRoleProvider::builder(role)
        .session_name("curfew-test-setup")
        .configure(&own)
        .build()
        .await;
    own.to_builder()
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(assumed),
        )
        .build()
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
    // A busy local AWS can answer the SDK's first attempt too late: the
    // retry then finds the cluster (and its automated snapshot) made.
    let made_by_the_first_attempt = match &created {
        Ok(_) => true,
        Err(_) => rds
            .describe_db_clusters()
            .db_cluster_identifier(id)
            .send()
            .await
            .is_ok(),
    };
    assert!(
        made_by_the_first_attempt,
        "CreateDBCluster {id}: {created:?}"
    );
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

/// An Auto Scaling group `name` in `zone` with `(min, desired, max)`, from
/// a launch template of its own, tagged `tags` (propagated at launch, as a
/// team's groups usually are). Panics if the local AWS refuses.
pub async fn auto_scaling_group(
    sdk: &aws_config::SdkConfig,
    name: &str,
    tags: &[(&str, &str)],
    (min, desired, max): (i32, i32, i32),
    zone: &str,
) {
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let image = crate::any_image(sdk).await;
    let template = format!("{name}-template");
    let made = ec2
        .create_launch_template()
        .launch_template_name(&template)
        .launch_template_data(
            aws_sdk_ec2::types::RequestLaunchTemplateData::builder()
                .image_id(image)
                .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
                .build(),
        )
        .send()
        .await;
    assert!(made.is_ok(), "CreateLaunchTemplate {template}: {made:?}");
    let tags: Vec<aws_sdk_autoscaling::types::Tag> = tags
        .iter()
        .map(|(key, value)| {
            aws_sdk_autoscaling::types::Tag::builder()
                .key(*key)
                .value(*value)
                .resource_id(name)
                .resource_type("auto-scaling-group")
                .propagate_at_launch(true)
                .build()
        })
        .collect();
    let created = aws_sdk_autoscaling::Client::new(sdk)
        .create_auto_scaling_group()
        .auto_scaling_group_name(name)
        .launch_template(
            aws_sdk_autoscaling::types::LaunchTemplateSpecification::builder()
                .launch_template_name(template)
                .build(),
        )
        .min_size(min)
        .desired_capacity(desired)
        .max_size(max)
        .availability_zones(zone)
        .set_tags(Some(tags))
        .send()
        .await;
    assert!(
        created.is_ok(),
        "CreateAutoScalingGroup {name}: {created:?}"
    );
}

/// The group's (min, desired, max) and the value of its tag `key`, as the
/// local AWS has them. Panics if there is no such group.
pub async fn auto_scaling_group_now(
    sdk: &aws_config::SdkConfig,
    name: &str,
    key: &str,
) -> ((i32, i32, i32), Option<String>) {
    let described = aws_sdk_autoscaling::Client::new(sdk)
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(name)
        .send()
        .await;
    let groups = described.unwrap_or_else(|e| panic!("DescribeAutoScalingGroups {name}: {e}"));
    let Some(group) = groups.auto_scaling_groups().first() else {
        panic!("no Auto Scaling group {name}");
    };
    let tag = group
        .tags()
        .iter()
        .find(|t| t.key() == Some(key))
        .and_then(|t| t.value())
        .map(str::to_owned);
    let size = (
        group.min_size().unwrap_or_default(),
        group.desired_capacity().unwrap_or_default(),
        group.max_size().unwrap_or_default(),
    );
    (size, tag)
}

//! EC2 and RDS against a real local AWS (moto): tagged instances are found
//! with one describe call per service, and start / stop take effect.

use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
use curfew_shared::resource::{Capacity, GroupKind, Instance, InstanceState};
use curfew_shared::Action::{Start, Stop};
use curfew_testkit::{
    aurora_cluster, auto_scaling_group, auto_scaling_group_now, ecs_service, local_aws,
    rds_instance, sdk_at, sdk_in, CountingProxy,
};
use curfew_worker::adapters::fleet::{AwsFleet, TagKeys};

/// Two EC2 instances and one RDS instance tagged with `schedule`.
async fn demo_fleet(sdk: &aws_config::SdkConfig, schedule: &str) {
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let image = ec2.describe_images().send().await.unwrap().images()[0]
        .image_id()
        .unwrap()
        .to_owned();
    for (name, group) in [("web-1", "app"), ("web-2", "app")] {
        let tags = TagSpecification::builder()
            .resource_type(ResourceType::Instance)
            .tags(Tag::builder().key("ScheduleName").value(schedule).build())
            .tags(Tag::builder().key("ScheduleGroupName").value(group).build())
            .tags(
                Tag::builder()
                    .key("Name")
                    .value(format!("{schedule}-{name}"))
                    .build(),
            )
            .build();
        ec2.run_instances()
            .image_id(&image)
            .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
            .min_count(1)
            .max_count(1)
            .tag_specifications(tags)
            .send()
            .await
            .unwrap();
    }
    let db = format!("{schedule}-db");
    assert!(rds_instance(sdk, &db, schedule, Some("db"), false).await);
}

#[tokio::test]
async fn tagged_instances_are_found_with_one_call_per_service_and_stop_and_start() {
    let Some(endpoint) = local_aws() else { return };
    let schedule = format!("fleet-{}", std::process::id());
    demo_fleet(&sdk_at(&endpoint).await, &schedule).await;

    let proxy = CountingProxy::start(endpoint.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap();
    let sdk = sdk_at(&proxy.endpoint()).await;
    let fleet = AwsFleet::new(&sdk, TagKeys::default());
    let mine = |all: Vec<curfew_shared::resource::Instance>| -> Vec<_> {
        all.into_iter().filter(|i| i.schedule == schedule).collect()
    };

    let instances = mine(fleet.describe().await.unwrap());
    // The services are described side by side: in any order.
    let mut ops: Vec<String> = proxy.calls().into_iter().map(|c| c.operation).collect();
    ops.sort();
    assert_eq!(
        ops,
        [
            "DescribeAutoScalingGroups",
            "DescribeDBInstances",
            "DescribeInstances",
            "ListClusters"
        ]
    );
    assert_eq!(instances.len(), 3);
    let ec2: Vec<_> = instances
        .iter()
        .filter(|i| i.kind == GroupKind::Ec2)
        .collect();
    assert_eq!(ec2.len(), 2);
    assert!(ec2
        .iter()
        .all(|i| i.group.as_deref() == Some("app") && i.state == InstanceState::Running));
    assert!(ec2.iter().any(|i| i.name == format!("{schedule}-web-1")));
    let db = instances.iter().find(|i| i.kind == GroupKind::Rds).unwrap();
    assert_eq!(
        (db.group.as_deref(), &db.state),
        (Some("db"), &InstanceState::Running)
    );

    let ids: Vec<String> = ec2.iter().map(|i| i.id.clone()).collect();
    proxy.reset();
    fleet.act_ec2(Stop, &ids).await.unwrap();
    fleet.act_rds(Stop, &db.id).await.unwrap();
    let ops: Vec<String> = proxy.calls().into_iter().map(|c| c.operation).collect();
    assert_eq!(
        ops,
        ["StopInstances", "StopDBInstance"],
        "one batched EC2 call"
    );
    let stopped = mine(fleet.describe().await.unwrap());
    assert!(
        stopped.iter().all(|i| i.state == InstanceState::Stopped),
        "{stopped:?}"
    );

    fleet.act_ec2(Start, &ids).await.unwrap();
    fleet.act_rds(Start, &db.id).await.unwrap();
    let started = mine(fleet.describe().await.unwrap());
    assert!(
        started.iter().all(|i| i.state == InstanceState::Running),
        "{started:?}"
    );
}

#[tokio::test]
async fn a_failing_call_names_the_operation_and_the_instances_and_is_permanent() {
    let Some(endpoint) = local_aws() else { return };
    let sdk = sdk_at(&endpoint).await;
    let fleet = AwsFleet::new(&sdk, TagKeys::default());
    let error = fleet.act_rds(Start, "no-such-db").await.unwrap_err();
    assert_eq!(
        (error.source.operation, error.ids.as_slice()),
        ("StartDBInstance", &["no-such-db".to_owned()][..])
    );
    // A missing instance fails the same way every time: not retried.
    assert_eq!(error.class(), curfew_shared::ports::Class::Permanent);
    assert_eq!(error.source.code.as_deref(), Some("DBInstanceNotFound"));
    assert!(
        std::error::Error::source(&error).is_some(),
        "the SDK error is kept"
    );
}

/// An Aurora cluster with one member, in a region of its own: other tests
/// share this moto and count their describe calls, and a cluster member
/// anywhere in their region would add `DescribeDBClusters` to them.
#[tokio::test]
async fn an_aurora_cluster_is_one_resource_and_its_members_are_never_acted_on_alone() {
    use curfew_shared::ports::Fleet as _;
    let Some(endpoint) = local_aws() else { return };
    let proxy = CountingProxy::start(endpoint.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap();
    let sdk = sdk_in(&proxy.endpoint(), "eu-west-3").await;
    let schedule = format!("aurora-{}", std::process::id());
    let cluster = format!("{schedule}-cluster");
    aurora_cluster(
        &sdk,
        &cluster,
        &[("ScheduleName", &schedule), ("ScheduleGroupName", "db")],
    )
    .await;
    let fleet = AwsFleet::new(&sdk, TagKeys::default());
    let mine = |all: Vec<curfew_shared::resource::Instance>| -> Vec<_> {
        all.into_iter().filter(|i| i.schedule == schedule).collect()
    };

    proxy.reset();
    let found = mine(fleet.describe_schedule(&schedule).await.unwrap());
    // The services are described side by side: in any order.
    let mut ops: Vec<String> = proxy.calls().into_iter().map(|c| c.operation).collect();
    ops.sort();
    assert_eq!(
        ops,
        [
            "DescribeAutoScalingGroups",
            "DescribeDBClusters",
            "DescribeDBInstances",
            "DescribeInstances",
            "ListClusters"
        ]
    );
    assert_eq!(found.len(), 1, "the cluster, not its member: {found:?}");
    assert_eq!(
        (
            found[0].kind,
            found[0].id.as_str(),
            found[0].group.as_deref()
        ),
        (GroupKind::RdsCluster, cluster.as_str(), Some("db"))
    );
    assert_eq!(found[0].state, InstanceState::Running, "available");
    // Priced by its members' classes (SPEC §6 Savings), read from the
    // same DescribeDBInstances pages: no call more.
    assert_eq!(
        found[0].billing.engine.as_deref(),
        Some("aurora-postgresql")
    );
    assert_eq!(found[0].billing.members, ["db.r6g.large"]);

    proxy.reset();
    let one = [cluster.clone()];
    fleet.act(Stop, GroupKind::RdsCluster, &one).await.unwrap();
    let ops: Vec<String> = proxy.calls().into_iter().map(|c| c.operation).collect();
    assert_eq!(ops, ["StopDBCluster"]);
    let stopped = mine(fleet.describe().await.unwrap());
    assert_eq!(stopped[0].state, InstanceState::Stopped);
    fleet.act(Start, GroupKind::RdsCluster, &one).await.unwrap();
    let started = mine(fleet.describe().await.unwrap());
    assert_eq!(started[0].state, InstanceState::Running);

    // A cluster that is not there: the operation and the id, permanent.
    let missing = ["no-such-cluster".to_owned()];
    let error = fleet
        .act(Start, GroupKind::RdsCluster, &missing)
        .await
        .unwrap_err();
    assert_eq!(
        (error.source.operation, error.ids.as_slice()),
        ("StartDBCluster", &missing[..])
    );
    assert_eq!(error.class(), curfew_shared::ports::Class::Permanent);
}

/// An Auto Scaling group of `schedule` in eu-north-1 (this test's region).
async fn asg(sdk: &aws_config::SdkConfig, name: &str, schedule: &str, capacity: (i32, i32, i32)) {
    let tags = [("ScheduleName", schedule)];
    auto_scaling_group(sdk, name, &tags, capacity, "eu-north-1a").await;
}

/// The group's (min, desired, max) and its `curfew:capacity` tag, as AWS has them.
async fn asg_now(sdk: &aws_config::SdkConfig, name: &str) -> ((i32, i32, i32), Option<String>) {
    auto_scaling_group_now(sdk, name, curfew_worker::adapters::fleet::CAPACITY_TAG).await
}

#[tokio::test]
async fn an_asg_is_scaled_to_zero_with_its_capacity_in_its_tag_and_scaled_back_to_it() {
    use curfew_shared::ports::Fleet as _;
    let Some(endpoint) = local_aws() else { return };
    let sdk = sdk_in(&endpoint, "eu-north-1").await;
    let schedule = format!("asg-{}", std::process::id());
    let (web, idle) = (format!("{schedule}-web"), format!("{schedule}-idle"));
    asg(&sdk, &web, &schedule, (1, 2, 4)).await;
    asg(&sdk, &idle, &schedule, (0, 0, 2)).await;
    let fleet = AwsFleet::new(&sdk, TagKeys::default());
    let state_of = |all: &[curfew_shared::resource::Instance], name: &str| {
        all.iter()
            .find(|i| i.id == name)
            .map(|i| (i.kind, i.state.clone()))
    };

    let found = fleet.describe_schedule(&schedule).await.unwrap();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        state_of(&found, &web),
        Some((GroupKind::Asg, InstanceState::Running))
    );
    assert_eq!(
        state_of(&found, &idle),
        Some((
            GroupKind::Asg,
            InstanceState::Other("at 0 by hand".to_owned())
        )),
        "a group at 0 that curfew did not stop is left alone"
    );

    let scale_of = |all: &[Instance], name: &str| {
        all.iter()
            .find(|i| i.id == name)
            .and_then(|i| i.scale.clone())
            .map(|s| (s.now, s.saved))
    };
    assert_eq!(scale_of(&found, &web), Some((capacity(1, 2, 4), None)));
    // Priced by the types of its instances in service (SPEC §6 Savings).
    let web_now = found.iter().find(|i| i.id == web).unwrap();
    assert_eq!(web_now.billing.members, ["t3.micro", "t3.micro"]);

    // A worker that died after saving the capacity and before scaling: the
    // retry saves the same and scales.
    let described = found.iter().find(|i| i.id == web).unwrap().clone();
    fleet
        .scale(Stop, &described, capacity(1, 2, 4))
        .await
        .unwrap();
    fleet
        .scale(Stop, &described, capacity(1, 2, 4))
        .await
        .unwrap();
    assert_eq!(
        asg_now(&sdk, &web).await,
        ((0, 0, 4), Some("1,2,4".to_owned()))
    );
    let found = fleet.describe_schedule(&schedule).await.unwrap();
    assert_eq!(
        state_of(&found, &web),
        Some((GroupKind::Asg, InstanceState::Stopped))
    );
    assert_eq!(
        scale_of(&found, &web),
        Some((capacity(0, 0, 4), Some(capacity(1, 2, 4)))),
        "the tag's copy is described"
    );

    fleet
        .scale(Start, &described, capacity(1, 2, 4))
        .await
        .unwrap();
    assert_eq!(
        asg_now(&sdk, &web).await,
        ((1, 2, 4), None),
        "restored, tag removed"
    );
    let found = fleet.describe_schedule(&schedule).await.unwrap();
    assert_eq!(
        state_of(&found, &web),
        Some((GroupKind::Asg, InstanceState::Running))
    );

    // A capacity tag that is not min,desired,max is no saved capacity (the
    // scheduler then refuses to start it: nothing is guessed).
    aws_sdk_autoscaling::Client::new(&sdk)
        .create_or_update_tags()
        .tags(
            aws_sdk_autoscaling::types::Tag::builder()
                .resource_id(&idle)
                .resource_type("auto-scaling-group")
                .key(curfew_worker::adapters::fleet::CAPACITY_TAG)
                .value("lots")
                .propagate_at_launch(false)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let found = fleet.describe_schedule(&schedule).await.unwrap();
    assert_eq!(scale_of(&found, &idle), Some((capacity(0, 0, 2), None)));

    // The scaled kinds are never started or stopped as the others are.
    let error = fleet
        .act(Start, GroupKind::Asg, std::slice::from_ref(&idle))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("is scaled"), "{error}");
}

const fn capacity(min: i32, desired: i32, max: i32) -> Capacity {
    Capacity { min, desired, max }
}

/// The service's desired count and its `curfew:desired` tag, as AWS has them.
async fn ecs_now(sdk: &aws_config::SdkConfig, cluster: &str, name: &str) -> (i32, Option<String>) {
    let out = aws_sdk_ecs::Client::new(sdk)
        .describe_services()
        .cluster(cluster)
        .services(name)
        .include(aws_sdk_ecs::types::ServiceField::Tags)
        .send()
        .await
        .unwrap();
    let service = &out.services()[0];
    let saved = service
        .tags()
        .iter()
        .find(|t| t.key() == Some(curfew_worker::adapters::fleet::DESIRED_TAG))
        .and_then(|t| t.value())
        .map(str::to_owned);
    (service.desired_count(), saved)
}

/// moto never runs tasks (its `runningCount` stays 0): where a test needs
/// the service up, the proxy rewrites `runningCount` in `DescribeServices`.
#[tokio::test]
async fn an_ecs_service_goes_to_zero_with_its_count_saved_and_comes_back() {
    use curfew_shared::ports::Fleet as _;
    let Some(endpoint) = local_aws() else { return };
    let proxy = CountingProxy::start(endpoint.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap();
    let sdk = sdk_in(&proxy.endpoint(), "ca-central-1").await;
    let schedule = format!("ecs-{}", std::process::id());
    let cluster = format!("{schedule}-cluster");
    let tags = [("ScheduleName", schedule.as_str())];
    ecs_service(&sdk, &cluster, "web", 2, &tags).await;
    ecs_service(&sdk, &cluster, "idle", 0, &tags).await;
    let fleet = AwsFleet::new(&sdk, TagKeys::default());
    let (web, idle) = (format!("{cluster}/web"), format!("{cluster}/idle"));
    let state_of = |all: &[curfew_shared::resource::Instance], id: &str| {
        all.iter()
            .find(|i| i.id == id)
            .map(|i| (i.kind, i.state.clone()))
    };

    proxy.reset();
    let found = fleet.describe_schedule(&schedule).await.unwrap();
    let ecs_ops: Vec<String> = proxy
        .calls()
        .into_iter()
        .filter(|c| c.service == "ecs")
        .map(|c| c.operation)
        .collect();
    assert_eq!(
        ecs_ops,
        ["ListClusters", "ListServices", "DescribeServices"]
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        state_of(&found, &web),
        Some((GroupKind::Ecs, InstanceState::Starting)),
        "moto runs none of the 2 desired tasks"
    );
    assert_eq!(
        state_of(&found, &idle),
        Some((
            GroupKind::Ecs,
            InstanceState::Other("at 0 by hand".to_owned())
        ))
    );
    proxy.rewrite(
        "DescribeServices",
        "\"runningCount\": 0",
        "\"runningCount\": 2",
        1,
    );
    let found = fleet.describe_schedule(&schedule).await.unwrap();
    assert_eq!(
        state_of(&found, &web),
        Some((GroupKind::Ecs, InstanceState::Running))
    );

    let described = found.iter().find(|i| i.id == web).unwrap().clone();
    let scale = described.scale.clone().unwrap();
    assert_eq!((scale.now, scale.saved), (Capacity::service(2), None));
    assert!(scale.arn.unwrap().ends_with("/web"));
    proxy.reset();
    fleet.scale(Stop, &described, scale.now).await.unwrap();
    let ops: Vec<String> = proxy.calls().into_iter().map(|c| c.operation).collect();
    assert_eq!(
        ops,
        ["TagResource", "UpdateService"],
        "no describe of its own"
    );
    assert_eq!(
        ecs_now(&sdk, &cluster, "web").await,
        (0, Some("2".to_owned()))
    );
    let found = fleet.describe_schedule(&schedule).await.unwrap();
    assert_eq!(
        state_of(&found, &web),
        Some((GroupKind::Ecs, InstanceState::Stopped))
    );
    let saved = found.iter().find(|i| i.id == web).unwrap().scale.clone();
    assert_eq!(saved.unwrap().saved, Some(Capacity::service(2)));
    fleet.scale(Start, &described, scale.now).await.unwrap();
    assert_eq!(
        ecs_now(&sdk, &cluster, "web").await,
        (2, None),
        "restored, tag removed"
    );

    // An id that is not cluster/service is refused before any call.
    proxy.reset();
    let bad = Instance {
        id: "web".to_owned(),
        ..described
    };
    let error = fleet
        .scale(Start, &bad, Capacity::service(2))
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("is not cluster/service"),
        "{error}"
    );
    assert!(proxy.calls().is_empty(), "{:?}", proxy.calls());
}

#[tokio::test]
async fn an_instance_configured_for_hibernation_is_seen_as_such_and_hibernates() {
    use curfew_shared::ports::Fleet as _;
    let Some(endpoint) = local_aws() else { return };
    let sdk = sdk_at(&endpoint).await;
    let ec2 = aws_sdk_ec2::Client::new(&sdk);
    let schedule = format!("hibernate-{}", std::process::id());
    let image = ec2.describe_images().send().await.unwrap().images()[0]
        .image_id()
        .unwrap()
        .to_owned();
    let mut ids = Vec::new();
    for configured in [true, false] {
        let tags = TagSpecification::builder()
            .resource_type(ResourceType::Instance)
            .tags(Tag::builder().key("ScheduleName").value(&schedule).build())
            .build();
        let out = ec2
            .run_instances()
            .image_id(&image)
            .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
            .min_count(1)
            .max_count(1)
            .hibernation_options(
                aws_sdk_ec2::types::HibernationOptionsRequest::builder()
                    .configured(configured)
                    .build(),
            )
            .tag_specifications(tags)
            .send()
            .await
            .unwrap();
        ids.push(out.instances()[0].instance_id().unwrap().to_owned());
    }
    let proxy = CountingProxy::start(endpoint.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap();
    let fleet = AwsFleet::new(&sdk_at(&proxy.endpoint()).await, TagKeys::default());
    let found = fleet.describe_schedule(&schedule).await.unwrap();
    let hibernates = |id: &str| found.iter().find(|i| i.id == id).map(|i| i.hibernates);
    assert_eq!(hibernates(&ids[0]), Some(true));
    assert_eq!(hibernates(&ids[1]), Some(false));

    proxy.reset();
    fleet.hibernate(&ids[..1]).await.unwrap();
    // moto accepts `Hibernate` without modelling it: the request is the proof.
    let calls = proxy.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].operation, "StopInstances");
    assert!(
        calls[0].body.contains("Hibernate=true"),
        "{}",
        calls[0].body
    );
    let after = fleet.describe_schedule(&schedule).await.unwrap();
    let state = after
        .iter()
        .find(|i| i.id == ids[0])
        .map(|i| i.state.clone());
    assert_eq!(state, Some(InstanceState::Stopped));
}

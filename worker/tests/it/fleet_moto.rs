//! EC2 and RDS against a real local AWS (moto): tagged instances are found
//! with one describe call per service, and start / stop take effect.

use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
use curfew_shared::reply::InstanceState;
use curfew_shared::schedule::GroupKind;
use curfew_shared::Action::{Start, Stop};
use curfew_testkit::{local_aws, rds_instance, sdk_at, CountingProxy};
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
    let fleet = AwsFleet {
        ec2: aws_sdk_ec2::Client::new(&sdk),
        rds: aws_sdk_rds::Client::new(&sdk),
        tags: TagKeys::default(),
    };
    let mine = |all: Vec<curfew_worker::adapters::fleet::Instance>| -> Vec<_> {
        all.into_iter().filter(|i| i.schedule == schedule).collect()
    };

    let instances = mine(fleet.describe().await.unwrap());
    let ops: Vec<String> = proxy.calls().into_iter().map(|c| c.operation).collect();
    assert_eq!(ops, ["DescribeInstances", "DescribeDBInstances"]);
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
    let fleet = AwsFleet {
        ec2: aws_sdk_ec2::Client::new(&sdk),
        rds: aws_sdk_rds::Client::new(&sdk),
        tags: TagKeys::default(),
    };
    let error = fleet.act_rds(Start, "no-such-db").await.unwrap_err();
    assert_eq!(
        (error.source.operation, error.ids.as_slice()),
        ("StartDBInstance", &["no-such-db".to_owned()][..])
    );
    // A missing instance fails the same way every time: not retried.
    assert_eq!(error.class(), curfew_worker::error::Class::Permanent);
    assert_eq!(error.source.code.as_deref(), Some("DBInstanceNotFound"));
    assert!(
        std::error::Error::source(&error).is_some(),
        "the SDK error is kept"
    );
}

//! `setup`, `apply` and `export` against a real local DynamoDB / SQS (moto,
//! started by scripts/test).

use curfew_shared::schedule::{render_schedules, SchedulesFile};
use curfew_worker::adapters::dynamodb::ScheduleStore;
use curfew_worker::cli::{apply, setup};

/// The SDK configuration for the local AWS, or `None` outside scripts/test.
async fn local_sdk() -> Option<aws_config::SdkConfig> {
    Some(curfew_testkit::sdk_at(&curfew_testkit::local_aws()?).await)
}

async fn fresh_store(sdk: &aws_config::SdkConfig, name: &str) -> ScheduleStore {
    let client = aws_sdk_dynamodb::Client::new(sdk);
    let table = format!("{name}-{}", std::process::id());
    assert!(
        setup::create_table(&client, &table).await.unwrap(),
        "a new table"
    );
    assert!(
        !setup::create_table(&client, &table).await.unwrap(),
        "setup twice is fine"
    );
    ScheduleStore::new(client, table)
}

fn example() -> SchedulesFile {
    let text = include_str!("../../../examples/schedules.toml");
    SchedulesFile::from_toml(text).unwrap()
}

#[tokio::test]
async fn apply_then_export_gives_back_the_file() {
    let Some(sdk) = local_sdk().await else { return };
    let store = fresh_store(&sdk, "apply-export").await;
    let file = example();
    let changes = apply::apply(&store, &file, false, false).await.unwrap();
    assert_eq!(changes.schedules.added.len(), 3);

    let exported = render_schedules(&store.load().await.unwrap()).unwrap();
    let mut back = SchedulesFile::from_toml(&exported).unwrap().schedule;
    let mut original = file.schedule.clone();
    back.sort_by(|a, b| a.name.cmp(&b.name));
    original.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(back, original, "apply ∘ export is the identity");

    let again = apply::apply(&store, &file, false, false)
        .await
        .unwrap()
        .schedules;
    assert_eq!(
        (
            again.added.len(),
            again.changed.len(),
            again.unchanged.len()
        ),
        (0, 0, 3)
    );
}

#[tokio::test]
async fn dry_run_writes_nothing_and_prune_deletes_what_the_file_lacks() {
    let Some(sdk) = local_sdk().await else { return };
    let store = fresh_store(&sdk, "apply-prune").await;
    let file = example();
    let dry = apply::apply(&store, &file, true, false).await.unwrap();
    assert_eq!(dry.schedules.added.len(), 3);
    assert!(
        store.list().await.unwrap().is_empty(),
        "a dry run writes nothing"
    );

    apply::apply(&store, &file, false, false).await.unwrap();
    let only_dev = SchedulesFile {
        schedule: file
            .schedule
            .iter()
            .filter(|d| d.name == "dev")
            .cloned()
            .collect(),
        target: Vec::new(),
    };
    let kept = apply::apply(&store, &only_dev, false, false).await.unwrap();
    assert_eq!(kept.schedules.absent, ["batch", "staging"]);
    assert_eq!(
        store.list().await.unwrap().len(),
        3,
        "without --prune nothing is deleted"
    );

    apply::apply(&store, &only_dev, false, true).await.unwrap();
    let names: Vec<String> = store
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, ["dev"]);
}

const TARGETS: &str = r#"
[[schedule]]
name = "dev"

[[target]]
name = "dev-seoul"

[[target]]
name = "stage"
regions = ["us-east-1", "eu-west-3"]
role = "arn:aws:iam::123456789012:role/curfew-spoke"
"#;

#[tokio::test]
async fn targets_are_stored_beside_the_schedules_and_exported_as_written() {
    let Some(sdk) = local_sdk().await else { return };
    let store = fresh_store(&sdk, "apply-targets").await;
    let file = SchedulesFile::from_toml(TARGETS).unwrap();
    let applied = apply::apply(&store, &file, false, false).await.unwrap();
    assert_eq!(applied.targets.added, ["dev-seoul", "stage"]);
    assert_eq!(applied.lines(false).last().unwrap(), "+ target stage");

    let stored = store.load().await.unwrap();
    assert_eq!(
        stored, file,
        "one Query reads the schedules and the targets"
    );
    assert_eq!(
        store.list().await.unwrap().len(),
        1,
        "a target is no schedule"
    );
    let exported = render_schedules(&stored).unwrap();
    assert!(
        exported.contains("[[target]]\nname = \"stage\""),
        "{exported}"
    );
    assert_eq!(SchedulesFile::from_toml(&exported).unwrap(), file);

    let mut moved = file.clone();
    moved.target[1].regions = vec!["us-east-1".to_owned()];
    moved.target.remove(0);
    let again = apply::apply(&store, &moved, false, false).await.unwrap();
    assert_eq!(again.targets.changed, ["stage"]);
    assert_eq!(again.targets.absent, ["dev-seoul"], "kept without --prune");
    apply::apply(&store, &moved, false, true).await.unwrap();
    assert_eq!(store.load().await.unwrap().target, moved.target);
}

#[tokio::test]
async fn setup_creates_the_fifo_queue_with_its_dlq() {
    let Some(sdk) = local_sdk().await else { return };
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let name = format!("setup-queues-{}", std::process::id());
    let (queue, dlq) = setup::create_queues(&sqs, &name).await.unwrap();
    assert!(queue.ends_with(&format!("{name}.fifo")) && dlq.ends_with(&format!("{name}-dlq.fifo")));
    let again = setup::create_queues(&sqs, &name).await.unwrap();
    assert_eq!(again, (queue.clone(), dlq), "setup twice is fine");
    let attributes = sqs
        .get_queue_attributes()
        .queue_url(&queue)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap();
    let redrive = &attributes[&aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy];
    assert!(
        redrive.contains("\"maxReceiveCount\":5") || redrive.contains("\"maxReceiveCount\": 5"),
        "{redrive}"
    );
}

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
    let changes = apply::apply(&store, &file.schedule, false, false)
        .await
        .unwrap();
    assert_eq!(changes.added.len(), 3);

    let exported = render_schedules(&store.list().await.unwrap()).unwrap();
    let mut back = SchedulesFile::from_toml(&exported).unwrap().schedule;
    let mut original = file.schedule.clone();
    back.sort_by(|a, b| a.name.cmp(&b.name));
    original.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(back, original, "apply ∘ export is the identity");

    let again = apply::apply(&store, &file.schedule, false, false)
        .await
        .unwrap();
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
    let dry = apply::apply(&store, &file.schedule, true, false)
        .await
        .unwrap();
    assert_eq!(dry.added.len(), 3);
    assert!(
        store.list().await.unwrap().is_empty(),
        "a dry run writes nothing"
    );

    apply::apply(&store, &file.schedule, false, false)
        .await
        .unwrap();
    let only_dev: Vec<_> = file
        .schedule
        .iter()
        .filter(|d| d.name == "dev")
        .cloned()
        .collect();
    let kept = apply::apply(&store, &only_dev, false, false).await.unwrap();
    assert_eq!(kept.absent, ["batch", "staging"]);
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

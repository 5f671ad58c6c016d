//! Targets on moto (SPEC §5 Targets, issue 15): one schedule over two
//! accounts × two regions, each (target, region) pair in its own job on a
//! real FIFO queue. moto serves every account through STS AssumeRole (the
//! credentials it hands out act in the role's account) and every region.
//! It never denies a role, so the denied one is injected by the test proxy
//! in front of it, which the worker's STS calls pass through as well.

use super::stack::{kst, Stack};
use aws_sdk_sqs::types::MessageSystemAttributeName;
use chrono::{DateTime, Utc};
use curfew_testkit::{any_image, ec2_instance, ec2_states, local_aws, sdk_as};
use curfew_worker::cli::setup::create_queues;
use curfew_worker::handler::Verdict;

/// The worker's own account is moto's default; `stage` is another.
const STAGE_ROLE: &str = "arn:aws:iam::210987654321:role/curfew-spoke";
const OPS_ROLE: &str = "arn:aws:iam::333333333333:role/curfew-spoke";

/// Regions no other test uses: no other test's fleet is described here.
const FRANKFURT: &str = "eu-central-1";
const MUMBAI: &str = "ap-south-1";

const TWO_BY_TWO: &str = r#"
[[schedule]]
name = "dev"
tag = "{tag}"
timezone = "Asia/Seoul"
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"

[[target]]
name = "own"
regions = ["eu-central-1", "ap-south-1"]

[[target]]
name = "stage"
regions = ["eu-central-1", "ap-south-1"]
role = "arn:aws:iam::210987654321:role/curfew-spoke"
"#;

/// A stopped EC2 instance of `tag` in `sdk`'s account and region.
async fn stopped_instance(sdk: &aws_config::SdkConfig, tag: &str, name: &str) -> String {
    let image = any_image(sdk).await;
    let id = ec2_instance(sdk, &image, tag, name, None)
        .await
        .expect("moto runs an instance");
    aws_sdk_ec2::Client::new(sdk)
        .stop_instances()
        .instance_ids(&id)
        .send()
        .await
        .unwrap();
    id
}

/// The EC2 state of each (account and region, instance), in order.
async fn states(places: &[(aws_config::SdkConfig, String)]) -> Vec<String> {
    let mut all = Vec::new();
    for (sdk, id) in places {
        all.extend(ec2_states(sdk, std::slice::from_ref(id)).await);
    }
    all
}

/// The stack with a worker that fans out onto a real FIFO queue.
async fn with_queue(endpoint: &str, schedules: &str) -> (Stack, String) {
    let mut stack = Stack::start(endpoint, schedules).await;
    let sqs = aws_sdk_sqs::Client::new(&stack.sdk);
    let (queue, _dlq) = create_queues(&sqs, &stack.tag).await.unwrap();
    stack.worker = Stack::worker_with(
        &stack.proxy,
        &stack.tag,
        &stack.sink,
        &[("CURFEW_QUEUE_URL", queue.clone())],
    )
    .await;
    (stack, queue)
}

/// Every job on the queue now, as (message group, body), by group.
async fn drain(stack: &Stack, queue: &str) -> Vec<(String, String)> {
    let sqs = aws_sdk_sqs::Client::new(&stack.sdk);
    let mut jobs = Vec::new();
    loop {
        let received = sqs
            .receive_message()
            .queue_url(queue)
            .max_number_of_messages(10)
            .message_system_attribute_names(MessageSystemAttributeName::MessageGroupId)
            .send()
            .await
            .unwrap();
        let messages = received.messages.unwrap_or_default();
        if messages.is_empty() {
            break;
        }
        for message in messages {
            let group = message
                .attributes()
                .and_then(|a| a.get(&MessageSystemAttributeName::MessageGroupId))
                .cloned()
                .unwrap_or_default();
            jobs.push((group, message.body().unwrap_or_default().to_owned()));
            sqs.delete_message()
                .queue_url(queue)
                .receipt_handle(message.receipt_handle().unwrap_or_default())
                .send()
                .await
                .unwrap();
        }
    }
    jobs.sort();
    jobs
}

/// The tick of `at`, then each pair job it sent, handled one by one as
/// separate workers would; returns the jobs' groups.
async fn tick_and_run_pairs(stack: &Stack, queue: &str, at: DateTime<Utc>) -> Vec<String> {
    stack.tick(at).await;
    let jobs = drain(stack, queue).await;
    for (group, body) in &jobs {
        let verdict = stack.worker.handle(body, at).await;
        assert_eq!(verdict, Verdict::Done, "the job of {group}");
    }
    jobs.into_iter().map(|(group, _)| group).collect()
}

#[tokio::test]
async fn a_schedule_over_two_accounts_and_two_regions_runs_one_job_a_pair() {
    let Some(endpoint) = local_aws() else { return };
    let (stack, queue) = with_queue(&endpoint, TWO_BY_TWO).await;
    let mut places = Vec::new();
    for (role, account) in [(None, "own"), (Some(STAGE_ROLE), "stage")] {
        for region in [FRANKFURT, MUMBAI] {
            let sdk = sdk_as(&endpoint, region, role).await;
            let id = stopped_instance(&sdk, &stack.tag, &format!("{account}-{region}")).await;
            places.push((sdk, id));
        }
    }
    assert_eq!(states(&places).await, ["stopped"; 4]);

    // 09:00 on a Wednesday: four pair jobs, one a group, each starting its own.
    let groups = tick_and_run_pairs(&stack, &queue, kst(9, 9, 0)).await;
    assert_eq!(
        groups,
        [
            "own|ap-south-1",
            "own|eu-central-1",
            "stage|ap-south-1",
            "stage|eu-central-1"
        ]
    );
    assert_eq!(states(&places).await, ["running"; 4]);
    assert_eq!(stack.proxy.count("StartInstances"), 4, "one start a pair");
    assert!(
        stack.proxy.count("AssumeRole") >= 1,
        "the stage role was assumed through the proxy (AWS_ENDPOINT_URL)"
    );
    let notices = stack.notices_after(4).await;
    assert!(
        notices
            .iter()
            .any(|n| n.contains("210987654321/eu-central-1")),
        "a resource of another account is labelled account/region: {notices:#?}"
    );

    // A minute later nothing is due anywhere: no job at all.
    assert!(tick_and_run_pairs(&stack, &queue, kst(9, 9, 1))
        .await
        .is_empty());

    // 19:00: every pair stops its own.
    let groups = tick_and_run_pairs(&stack, &queue, kst(9, 19, 0)).await;
    assert_eq!(groups.len(), 4);
    assert_eq!(states(&places).await, ["stopped"; 4]);
}

#[tokio::test]
async fn a_role_that_cannot_be_assumed_is_told_once_while_the_other_pairs_act() {
    let Some(endpoint) = local_aws() else { return };
    let schedules = format!(
        "{}\n[[target]]\nname = \"ops\"\nregions = [\"eu-central-1\"]\nrole = \"{OPS_ROLE}\"\n",
        TWO_BY_TWO
            .split("[[target]]\nname = \"stage\"")
            .next()
            .unwrap()
    );
    let (stack, queue) = with_queue(&endpoint, &schedules).await;
    let own = sdk_as(&endpoint, FRANKFURT, None).await;
    let ops = sdk_as(&endpoint, FRANKFURT, Some(OPS_ROLE)).await;
    let own_id = stopped_instance(&own, &stack.tag, "own").await;
    let ops_id = stopped_instance(&ops, &stack.tag, "ops").await;

    // Denied twice: at 09:00 and again at 09:01 (the start is still due there).
    stack.proxy.fail_query("AssumeRole", 403, "AccessDenied", 2);
    let groups = tick_and_run_pairs(&stack, &queue, kst(9, 9, 0)).await;
    assert_eq!(
        groups,
        ["ops|eu-central-1", "own|ap-south-1", "own|eu-central-1"]
    );
    assert_eq!(ec2_states(&own, &[own_id]).await, ["running"]);
    assert_eq!(
        ec2_states(&ops, std::slice::from_ref(&ops_id)).await,
        ["stopped"]
    );
    let groups = tick_and_run_pairs(&stack, &queue, kst(9, 9, 1)).await;
    assert_eq!(groups, ["ops|eu-central-1"], "only the pair still due");
    let told: Vec<String> = stack
        .notices()
        .into_iter()
        .filter(|n| n.contains("cannot reach"))
        .collect();
    assert_eq!(told.len(), 1, "{:#?}", stack.notices());
    assert!(
        told[0].contains("333333333333/eu-central-1") && told[0].contains("AccessDenied"),
        "{}",
        told[0]
    );

    // The role is mended (the proxy denies no more): started, and said so.
    tick_and_run_pairs(&stack, &queue, kst(9, 9, 2)).await;
    assert_eq!(ec2_states(&ops, &[ops_id]).await, ["running"]);
    let notices = stack.notices();
    assert!(
        notices.iter().any(|n| n.contains("answers again")),
        "{notices:#?}"
    );
}

#[tokio::test]
async fn a_pair_job_delivered_twice_acts_once() {
    let Some(endpoint) = local_aws() else { return };
    let (stack, queue) = with_queue(&endpoint, TWO_BY_TWO).await;
    let stage = sdk_as(&endpoint, MUMBAI, Some(STAGE_ROLE)).await;
    let id = stopped_instance(&stage, &stack.tag, "stage").await;
    let at = kst(9, 9, 0);
    stack.tick(at).await;
    let jobs = drain(&stack, &queue).await;
    let (_, body) = jobs
        .iter()
        .find(|(group, _)| group == "stage|ap-south-1")
        .expect("the stage pair's job");
    stack.proxy.reset();
    assert_eq!(stack.worker.handle(body, at).await, Verdict::Done);
    assert_eq!(stack.worker.handle(body, at).await, Verdict::Duplicate);
    assert_eq!(stack.proxy.count("StartInstances"), 1);
    assert_eq!(ec2_states(&stage, &[id]).await, ["running"]);
}

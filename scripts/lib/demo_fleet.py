"""The demo fleet scripts/dev puts into the local AWS (moto server).

Run by scripts/dev with .venv/bin/python after `curfew setup`. Talks only to
the endpoint in AWS_ENDPOINT_URL (refuses to run without one, so it can never
create instances in a real account). Idempotent: an EC2 instance that already
exists (by its Name tag, not terminated) or an RDS instance that already
exists (by identifier) is left alone, and so is an Aurora cluster, an Auto
Scaling group or an ECS service that exists by name: one of every resource
kind (SPEC §5). EC2 instances of the `staging` and `batch` schedules are
stopped right after they are created, so the demo shows a mix of running and
stopped servers. Ends with a table of the tagged fleet.

Tag keys follow examples/schedules.toml and SPEC §8: CURFEW_TAG_KEY (default
ScheduleName) and CURFEW_GROUP_TAG_KEY (default ScheduleGroupName).
"""

import os
import sys

import boto3

ENDPOINT = os.environ.get("AWS_ENDPOINT_URL", "")
REGION = os.environ.get("AWS_REGION", "ap-northeast-2")
TAG_KEY = os.environ.get("CURFEW_TAG_KEY") or "ScheduleName"
GROUP_TAG_KEY = os.environ.get("CURFEW_GROUP_TAG_KEY") or "ScheduleGroupName"

# (name, schedule tag value, group or None, stopped after creation)
EC2_FLEET = [
    ("dev-app-1", "dev", "app", False),
    ("dev-app-2", "dev", "app", False),
    ("staging-web", "staging", None, True),
    ("staging-api", "staging", None, True),
    ("batch-runner", "batch", None, True),
]
# (identifier, schedule tag value, group)
RDS_FLEET = [
    ("dev-db", "dev", "db"),
]
# One of each newer kind, all for `staging`: an Aurora cluster (with its
# writer instance, which curfew never acts on alone), an Auto Scaling group
# and an ECS service in the ECS cluster `staging`.
AURORA_CLUSTER = "staging-aurora"
ASG_NAME = "staging-workers"
ECS_CLUSTER, ECS_SERVICE = "staging", "api"


def tags(name, schedule, group):
    out = [{"Key": "Name", "Value": name}, {"Key": TAG_KEY, "Value": schedule}]
    if group:
        out.append({"Key": GROUP_TAG_KEY, "Value": group})
    return out


def tag_value(tag_list, key):
    for tag in tag_list or []:
        if tag["Key"] == key:
            return tag["Value"]
    return ""


def live_ec2(ec2):
    """Every EC2 instance that is not terminated (or terminating)."""
    found = []
    for page in ec2.get_paginator("describe_instances").paginate(
        Filters=[
            {
                "Name": "instance-state-name",
                "Values": ["pending", "running", "stopping", "stopped"],
            }
        ]
    ):
        for reservation in page["Reservations"]:
            found.extend(reservation["Instances"])
    return found


def demo_ami(ec2):
    images = ec2.describe_images(Owners=["amazon"])["Images"] or ec2.describe_images()["Images"]
    if not images:
        sys.exit("demo_fleet: the local AWS offers no AMI to launch from")
    return images[0]["ImageId"]


def ensure_ec2(ec2):
    existing = {tag_value(i.get("Tags"), "Name") for i in live_ec2(ec2)}
    missing = [entry for entry in EC2_FLEET if entry[0] not in existing]
    if not missing:
        print(f"ec2: all {len(EC2_FLEET)} demo instances already there")
        return
    ami = demo_ami(ec2)
    to_stop = []
    for name, schedule, group, stopped in missing:
        instance = ec2.run_instances(
            ImageId=ami,
            InstanceType="t3.micro",
            MinCount=1,
            MaxCount=1,
            TagSpecifications=[
                {"ResourceType": "instance", "Tags": tags(name, schedule, group)}
            ],
        )["Instances"][0]
        print(f"ec2: created {name} ({instance['InstanceId']})")
        if stopped:
            to_stop.append(instance["InstanceId"])
    if to_stop:
        ec2.stop_instances(InstanceIds=to_stop)
        print(f"ec2: stopped {len(to_stop)} of them (staging, batch) for a mixed demo")


def ensure_rds(rds):
    for ident, schedule, group in RDS_FLEET:
        try:
            rds.describe_db_instances(DBInstanceIdentifier=ident)
            print(f"rds: {ident} already there")
            continue
        except rds.exceptions.DBInstanceNotFoundFault:
            pass
        rds.create_db_instance(
            DBInstanceIdentifier=ident,
            Engine="postgres",
            DBInstanceClass="db.t3.micro",
            AllocatedStorage=20,
            # Local only: this database exists in the moto server, nowhere else.
            MasterUsername="curfew",
            MasterUserPassword="local-dev-only",
            Tags=tags(ident, schedule, group),
        )
        print(f"rds: created {ident}")


def ensure_aurora(rds):
    try:
        rds.describe_db_clusters(DBClusterIdentifier=AURORA_CLUSTER)
        print(f"rds: cluster {AURORA_CLUSTER} already there")
        return
    except rds.exceptions.DBClusterNotFoundFault:
        pass
    rds.create_db_cluster(
        DBClusterIdentifier=AURORA_CLUSTER,
        Engine="aurora-postgresql",
        MasterUsername="curfew",
        MasterUserPassword="local-dev-only",
        Tags=tags(AURORA_CLUSTER, "staging", None),
    )
    rds.create_db_instance(
        DBInstanceIdentifier=f"{AURORA_CLUSTER}-writer",
        DBClusterIdentifier=AURORA_CLUSTER,
        Engine="aurora-postgresql",
        DBInstanceClass="db.r6g.large",
    )
    print(f"rds: created cluster {AURORA_CLUSTER} with its writer")


def ensure_asg(ec2, autoscaling):
    if autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[ASG_NAME])[
        "AutoScalingGroups"
    ]:
        print(f"asg: {ASG_NAME} already there")
        return
    template = f"{ASG_NAME}-template"
    existing = ec2.describe_launch_templates()["LaunchTemplates"]
    if not any(t["LaunchTemplateName"] == template for t in existing):
        ec2.create_launch_template(
            LaunchTemplateName=template,
            LaunchTemplateData={"ImageId": demo_ami(ec2), "InstanceType": "t3.micro"},
        )
    group_tags = [
        {"Key": key, "Value": value, "PropagateAtLaunch": True}
        for key, value in [("Name", ASG_NAME), (TAG_KEY, "staging")]
    ]
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=ASG_NAME,
        LaunchTemplate={"LaunchTemplateName": template},
        MinSize=1,
        DesiredCapacity=2,
        MaxSize=4,
        AvailabilityZones=[f"{REGION}a"],
        Tags=group_tags,
    )
    print(f"asg: created {ASG_NAME} (min 1, desired 2, max 4)")


def ensure_ecs(ecs):
    services = ecs.describe_services(cluster=ECS_CLUSTER, services=[ECS_SERVICE])["services"] if ECS_CLUSTER in [
        arn.rsplit("/", 1)[-1] for arn in ecs.list_clusters()["clusterArns"]
    ] else []
    if services:
        print(f"ecs: {ECS_CLUSTER}/{ECS_SERVICE} already there")
        return
    ecs.create_cluster(clusterName=ECS_CLUSTER)
    ecs.register_task_definition(
        family=f"{ECS_CLUSTER}-{ECS_SERVICE}",
        containerDefinitions=[{"name": ECS_SERVICE, "image": "nginx", "memory": 128}],
    )
    ecs.create_service(
        cluster=ECS_CLUSTER,
        serviceName=ECS_SERVICE,
        taskDefinition=f"{ECS_CLUSTER}-{ECS_SERVICE}",
        desiredCount=2,
        tags=[{"key": TAG_KEY, "value": "staging"}],
    )
    print(f"ecs: created {ECS_CLUSTER}/{ECS_SERVICE} (desired 2)")


def table(ec2, rds, extra_rows):
    rows = []
    for instance in live_ec2(ec2):
        schedule = tag_value(instance.get("Tags"), TAG_KEY)
        if not schedule or tag_value(instance.get("Tags"), "aws:autoscaling:groupName"):
            continue  # untagged, or a group member (listed as its group)
        rows.append(
            (
                tag_value(instance.get("Tags"), "Name"),
                instance["InstanceId"],
                schedule,
                tag_value(instance.get("Tags"), GROUP_TAG_KEY) or "-",
                instance["State"]["Name"],
            )
        )
    for db in rds.describe_db_instances()["DBInstances"]:
        if db.get("DBClusterIdentifier"):
            continue  # a cluster member: its cluster is listed below
        db_tags = db.get("TagList") or rds.list_tags_for_resource(
            ResourceName=db["DBInstanceArn"]
        )["TagList"]
        schedule = tag_value(db_tags, TAG_KEY)
        if not schedule:
            continue
        rows.append(
            (
                db["DBInstanceIdentifier"],
                db["DBInstanceIdentifier"],
                schedule,
                tag_value(db_tags, GROUP_TAG_KEY) or "-",
                db["DBInstanceStatus"],
            )
        )
    for cluster in rds.describe_db_clusters()["DBClusters"]:
        schedule = tag_value(cluster.get("TagList"), TAG_KEY)
        if schedule:
            rows.append((cluster["DBClusterIdentifier"], "(rds-cluster)", schedule, "-", cluster["Status"]))
    for kind, name, schedule, state in extra_rows:
        rows.append((name, f"({kind})", schedule, "-", state))
    rows.sort(key=lambda r: (r[2], r[3], r[0]))
    header = ("NAME", "ID", "SCHEDULE", "GROUP", "STATE")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        print("  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip())


def main():
    if not ENDPOINT:
        sys.exit("demo_fleet: AWS_ENDPOINT_URL is not set; refusing to touch a real account")
    # boto3 >= 1.28 reads AWS_ENDPOINT_URL itself; passing it too keeps older
    # ones pointed at the local AWS. The region must be passed: boto3 reads
    # AWS_DEFAULT_REGION, not the AWS_REGION that moto.sh exports.
    session = boto3.session.Session(region_name=REGION)
    ec2 = session.client("ec2", endpoint_url=ENDPOINT)
    rds = session.client("rds", endpoint_url=ENDPOINT)
    autoscaling = session.client("autoscaling", endpoint_url=ENDPOINT)
    ecs = session.client("ecs", endpoint_url=ENDPOINT)
    ensure_rds(rds)
    ensure_aurora(rds)
    ensure_ec2(ec2)
    ensure_asg(ec2, autoscaling)
    ensure_ecs(ecs)
    print(f"demo fleet ({TAG_KEY} / {GROUP_TAG_KEY} tags):")
    table(ec2, rds, newer_kinds(autoscaling, ecs))


def newer_kinds(autoscaling, ecs):
    """(kind, name, schedule, state) of the demo's group and service."""
    rows = []
    for group in autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[ASG_NAME])[
        "AutoScalingGroups"
    ]:
        capacity = f"desired {group['DesiredCapacity']}"
        rows.append(("asg", ASG_NAME, tag_value(group.get("Tags"), TAG_KEY), capacity))
    for service in ecs.describe_services(
        cluster=ECS_CLUSTER, services=[ECS_SERVICE], include=["TAGS"]
    )["services"]:
        schedule = next((t["value"] for t in service.get("tags", []) if t["key"] == TAG_KEY), "")
        rows.append(("ecs", f"{ECS_CLUSTER}/{ECS_SERVICE}", schedule, f"desired {service['desiredCount']}"))
    return rows


if __name__ == "__main__":
    main()

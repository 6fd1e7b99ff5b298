"""Backups beyond the automated ones, and recovery in another Region."""

from __future__ import annotations

from typing import Any

from .intrinsics import att, number, one_line, ref, sub


class BackupParts:
    def long_term_backups(self) -> None:
        days = max(36, min(3650, number(self.answers.get("restore_window_days"), 365)))
        vault: dict[str, Any] = {"BackupVaultName": sub("${AWS::StackName}-long-term")}
        if self.encrypted:
            vault["EncryptionKeyArn"] = att("DataKey", "Arn")
        self.resource(
            "BackupVault",
            "AWS::Backup::BackupVault",
            vault,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
        )
        self.resource(
            "BackupPlan",
            "AWS::Backup::BackupPlan",
            {
                "BackupPlan": {
                    "BackupPlanName": sub("${AWS::StackName}-long-term"),
                    "BackupPlanRule": [
                        {
                            "RuleName": "monthly-long-term",
                            "TargetBackupVault": ref("BackupVault"),
                            "ScheduleExpression": "cron(0 5 1 * ? *)",
                            "StartWindowMinutes": 60,
                            "CompletionWindowMinutes": 720,
                            "Lifecycle": {"DeleteAfterDays": days},
                        }
                    ],
                }
            },
        )
        self.resource(
            "BackupRole",
            "AWS::IAM::Role",
            {
                "Description": sub("Lets AWS Backup snapshot the database of ${AWS::StackName}"),
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "backup.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        },
                    ],
                },
                "ManagedPolicyArns": [
                    sub(
                        "arn:${AWS::Partition}:iam::aws:policy/service-role/"
                        "AWSBackupServiceRolePolicyForBackup"
                    ),
                    sub(
                        "arn:${AWS::Partition}:iam::aws:policy/service-role/"
                        "AWSBackupServiceRolePolicyForRestores"
                    ),
                ],
            },
        )
        target = (
            att("DatabaseCluster", "DBClusterArn")
            if "DatabaseCluster" in self.resources
            else att("Database", "DBInstanceArn")
        )
        self.resource(
            "BackupSelection",
            "AWS::Backup::BackupSelection",
            {
                "BackupPlanId": ref("BackupPlan"),
                "BackupSelection": {
                    "SelectionName": "database",
                    "IamRoleArn": att("BackupRole", "Arn"),
                    "Resources": [target],
                },
            },
        )
        self.note(
            f"Automated backups keep {self.retention} days of point-in-time restore; AWS Backup "
            f"adds a monthly snapshot kept {days} days to reach the restore window."
        )

    # disaster recovery ---------------------------------------------------------------------------

    def disaster_recovery(self) -> None:
        choice = self.choice["disaster_recovery"]
        label = self.snapshot.decision("disaster_recovery").label or choice
        parts: list[str] = []
        if choice == "backup_restore":
            parts.append(
                "copy automated backups or snapshots to the recovery Region (cross-Region "
                "automated backup replication, or an AWS Backup copy rule to a vault there)"
            )
        elif choice == "pilot_light":
            parts.append(
                "create a cross-Region read replica whose source is this stack's DatabaseArn "
                "output, and rehearse promoting it"
            )
        elif choice == "aurora_global_database":
            self.resource(
                "GlobalCluster",
                "AWS::RDS::GlobalCluster",
                {
                    "GlobalClusterIdentifier": sub("${AWS::StackName}-global"),
                    "SourceDBClusterIdentifier": att("DatabaseCluster", "DBClusterArn"),
                    "DeletionProtection": True,
                },
            )
            self.output(
                "GlobalClusterIdentifier",
                "Aurora Global Database to join from the recovery Region.",
                ref("GlobalCluster"),
            )
            parts.append(
                "add a secondary cluster that joins this stack's GlobalClusterIdentifier output"
            )
        if self.answers.get("cross_region_reads") and choice != "aurora_global_database":
            parts.append("create the read replica that serves the other Region's users")
        if not parts:
            return
        if self.encrypted:
            parts.append("use a KMS key of that Region, since a key never leaves its Region")
        subjects = []
        if choice and choice != "none":
            subjects.append(f"disaster recovery ({label})")
        if self.answers.get("cross_region_reads"):
            subjects.append("reads in another Region")
        subject = " and ".join(subjects)
        verb = "needs" if subjects[-1].startswith("disaster") else "need"
        text = one_line(
            f"{subject[0].upper()}{subject[1:]} {verb} resources in another Region, which one "
            "CloudFormation stack cannot hold. In a stack of their own in that Region: "
            + "; ".join(parts)
            + ".",
            900,
        )
        self.note(text)
        self.output("OtherRegion", "What belongs in another Region, outside this template.", text)

    # assembly ------------------------------------------------------------------------------------

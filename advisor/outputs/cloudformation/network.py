"""Networking glue and encryption: subnet groups, security groups, the port and the KMS key."""

from __future__ import annotations

from typing import Any

from .intrinsics import att, ref, sub, tags


class NetworkParts:
    def network(self) -> None:
        self.parameter(
            "VpcId",
            "Network",
            Type="AWS::EC2::VPC::Id",
            Description="The VPC the database and its clients live in.",
        )
        azs = 3 if self.form == "cluster" else 2
        self.parameter(
            "SubnetIds",
            "Network",
            Type="List<AWS::EC2::Subnet::Id>",
            Description=f"Private subnets in at least {azs} Availability Zones of that VPC.",
        )
        self.parameter(
            "AppSecurityGroupId",
            "Network",
            Type="AWS::EC2::SecurityGroup::Id",
            Description="The security group of the application; only it may reach the data tier.",
        )
        self.resource(
            "DatabaseSubnetGroup",
            "AWS::RDS::DBSubnetGroup",
            {
                "DBSubnetGroupDescription": sub("Private subnets of ${AWS::StackName}"),
                "SubnetIds": ref("SubnetIds"),
            },
        )
        port = self.db_port
        clients = "ProxySecurityGroup" if self.proxy else None
        source = ref(clients) if clients else ref("AppSecurityGroupId")
        what = "RDS Proxy" if clients else "the application"
        self.resource(
            "DatabaseSecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": sub(
                    f"Database of ${{AWS::StackName}}: port {port} from {what}"
                ),
                "VpcId": ref("VpcId"),
                "SecurityGroupIngress": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": port,
                        "ToPort": port,
                        "SourceSecurityGroupId": source,
                        "Description": f"{self.engine.label} from {what}",
                    },
                ],
                "Tags": tags("database"),
            },
        )
        if self.engine.tls_port and self.choice["tls"] == "enforce":
            self.note(
                f"{self.engine.label} enforces TLS by opening only its TLS port {port} in the "
                f"security group; the plain port {self.engine.port} stays closed."
            )

    @property
    def db_port(self) -> int:
        if self.engine.tls_port and self.choice["tls"] == "enforce":
            return self.engine.tls_port
        return self.engine.port

    # encryption ------------------------------------------------------------------------------

    def kms_key(self) -> None:
        self.resource(
            "DataKey",
            "AWS::KMS::Key",
            {
                "Description": sub("Encrypts the data tier of ${AWS::StackName} at rest"),
                "EnableKeyRotation": True,
                "KeyPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "AccountAdministersTheKey",
                            "Effect": "Allow",
                            "Principal": {
                                "AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
                            },
                            "Action": "kms:*",
                            "Resource": "*",
                        }
                    ],
                },
            },
            # Snapshots and backups outlive the stack; they stay readable only with their key.
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
        )
        self.resource(
            "DataKeyAlias",
            "AWS::KMS::Alias",
            {"AliasName": sub("alias/${AWS::StackName}-data"), "TargetKeyId": ref("DataKey")},
        )
        self.output("DataKeyArn", "The KMS key that encrypts the data tier.", att("DataKey", "Arn"))

    def encryption_properties(self) -> dict[str, Any]:
        if self.restore:
            return {}
        if not self.encrypted:
            return {"StorageEncrypted": False}
        return {"StorageEncrypted": True, "KmsKeyId": ref("DataKey")}

    # parameter groups ------------------------------------------------------------------------

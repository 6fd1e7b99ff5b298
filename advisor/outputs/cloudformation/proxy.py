"""RDS Proxy: the proxy, its target group, its IAM role and how clients reach it."""

from __future__ import annotations

from typing import Any

from .intrinsics import att, ref, sub, tags


class ProxyParts:
    def rds_proxy(self) -> None:
        engine = self.engine
        target = "DatabaseCluster" if self.form in ("aurora", "cluster") else "Database"
        secret = att(target, "MasterUserSecret.SecretArn")
        iam = self.choice["authentication"] == "iam_via_proxy"
        self.resource(
            "ProxySecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": sub(
                    f"RDS Proxy of ${{AWS::StackName}}: port {engine.port} from the application"
                ),
                "VpcId": ref("VpcId"),
                "SecurityGroupIngress": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": engine.port,
                        "ToPort": engine.port,
                        "SourceSecurityGroupId": ref("AppSecurityGroupId"),
                        "Description": "Application to RDS Proxy",
                    },
                ],
                "Tags": tags("proxy"),
            },
        )
        statements: list[dict[str, Any]] = [
            {
                "Sid": "ReadTheDatabaseSecret",
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": secret,
            }
        ]
        if self.encrypted:
            statements.append(
                {
                    "Sid": "DecryptTheDatabaseSecret",
                    "Effect": "Allow",
                    "Action": "kms:Decrypt",
                    "Resource": att("DataKey", "Arn"),
                    "Condition": {
                        "StringEquals": {
                            "kms:ViaService": sub("secretsmanager.${AWS::Region}.amazonaws.com")
                        }
                    },
                }
            )
        self.resource(
            "ProxyRole",
            "AWS::IAM::Role",
            {
                "Description": sub(
                    "Lets the RDS Proxy of ${AWS::StackName} read the database secret"
                ),
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "rds.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        },
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "database-secret",
                        "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                    },
                ],
            },
        )
        tls = self.choice["tls"] == "enforce" or iam
        if iam and self.choice["tls"] != "enforce":
            self.note("IAM authentication at RDS Proxy needs TLS, so the proxy requires it.")
        self.resource(
            "Proxy",
            "AWS::RDS::DBProxy",
            {
                "DBProxyName": sub("${AWS::StackName}-proxy"),
                "EngineFamily": engine.proxy_family,
                "Auth": [
                    {
                        "AuthScheme": "SECRETS",
                        "SecretArn": secret,
                        "IAMAuth": "REQUIRED" if iam else "DISABLED",
                    },
                ],
                "RoleArn": att("ProxyRole", "Arn"),
                "VpcSubnetIds": ref("SubnetIds"),
                "VpcSecurityGroupIds": [ref("ProxySecurityGroup")],
                "RequireTLS": tls,
                "IdleClientTimeout": 1800,
                "Tags": [{"Key": "Name", "Value": sub("${AWS::StackName}-proxy")}],
            },
        )
        group: dict[str, Any] = {"DBProxyName": ref("Proxy"), "TargetGroupName": "default"}
        key = "DBClusterIdentifiers" if target == "DatabaseCluster" else "DBInstanceIdentifiers"
        group[key] = [ref(target)]
        group["ConnectionPoolConfigurationInfo"] = {
            "MaxConnectionsPercent": 90,
            "MaxIdleConnectionsPercent": 50,
            "ConnectionBorrowTimeout": 120,
        }
        depends = [n for n in ("DatabaseWriter",) if n in self.resources]
        extra = {"DependsOn": depends} if depends else {}
        self.resource("ProxyTargetGroup", "AWS::RDS::DBProxyTargetGroup", group, **extra)
        self.output("ProxyEndpoint", "Point the application here.", att("Proxy", "Endpoint"))

    # ElastiCache ----------------------------------------------------------------------------------

"""What a recommendation becomes: its diagram, its decision record, its CloudFormation template."""

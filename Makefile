# sam build calls build-PublishFunction (template.yaml: Metadata BuildMethod makefile) and
# deploys what it leaves in ARTIFACTS_DIR: the contents of target/post-renderer-lambda.zip,
# which Maven builds with only what runs on Lambda.
.PHONY: build-PublishFunction build-RerenderFunction

build-PublishFunction build-RerenderFunction:
	mvn -B -q -DskipTests -DskipLocalTools=true package
	unzip -q -o target/post-renderer-lambda.zip -d "$(ARTIFACTS_DIR)"

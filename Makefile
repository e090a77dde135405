# sam build calls build-PublishFunction (template.yaml: Metadata BuildMethod makefile) and
# deploys what it leaves in ARTIFACTS_DIR: the contents of target/post-renderer-lambda.zip,
# which Maven builds with only what runs on Lambda. The package is built again only when a
# source of it (pom.xml, src/main) is newer than it.
.PHONY: build-PublishFunction build-RerenderFunction

PACKAGE := target/post-renderer-lambda.zip
SOURCES := pom.xml $(shell find src/main -type f)

$(PACKAGE): $(SOURCES)
	mvn -B -q -DskipTests -DskipLocalTools=true package

build-PublishFunction build-RerenderFunction: $(PACKAGE)
	unzip -q -o $(PACKAGE) -d "$(ARTIFACTS_DIR)"

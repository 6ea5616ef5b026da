using ZdPipelines.Core.Spec;
using static ZdPipelines.Core.Tests.Spec.SpecSamples;

namespace ZdPipelines.Core.Tests.Spec;

public sealed class SpecReaderMistakeTests
{
    /// <summary>One mistake per row: the yaml, then the path, line and a fragment of the error it must produce.</summary>
    public static TheoryData<string, string, int, string> Mistakes => new()
    {
        // Canary steps.
        { With(Canary, ("setWeight: 10", "setWeight: 150")), "strategy.canary.steps[0].setWeight", 13, "150 is out of range. Fix: use a whole number from 0 to 100." },
        { With(Canary, ("setWeight: 10", "setWeight: \"10\"")), "strategy.canary.steps[0].setWeight", 13, "expected a whole number" },
        { With(Canary, ("setWeight: 10", "setWieght: 10")), "strategy.canary.steps[0].setWieght", 13, "did you mean 'setWeight'?" },
        { With(Canary, ("pause: 30s", "pause: 30")), "strategy.canary.steps[1].pause", 14, "'30' has no unit" },
        { With(Canary, ("pause: 30s", "pause: { duration: 30s }")), "strategy.canary.steps[1].pause", 14, "write pause: 30s" },
        { With(Canary, ("pause: 30s", "pause: forever")), "strategy.canary.steps[1].pause", 14, "'forever' is not a duration" },
        { With(Canary, ("pause: 30s", "pause:")), "strategy.canary.steps[1].pause", 14, "pause has no value" },
        { With(Canary, ("gate: error-rate", "gate: eror-rate")), "strategy.canary.steps[2].gate", 15, "did you mean 'error-rate'?" },
        { With(Canary, ("- setWeight: 10", "- { setWeight: 10, pause: 30s }")), "strategy.canary.steps[0].pause", 13, "both setWeight and pause" },
        { With(Canary, ("- setWeight: 10", "- pause: 1m"), ("- setWeight: 100", "- pause: 2m")), "strategy.canary.steps", 13, "no step sets a weight" },

        // Name and platform.
        { With(Canary, ("name: shop-api", "name: Shop_API")), "name", 1, "e.g. shop-api" },
        { With(Canary, ("name: shop-api", "# the name was forgotten")), "name", 2, "required field name is missing" },
        { With(Canary, ("type: local", "type: lcoal")), "platform.type", 3, "did you mean 'local'?" },
        { With(Canary, ("type: local", "type: simulated")), "platform.local", 4, "the local block does not apply" },
        { With(Canary, ("listen: 127.0.0.1:8080", "listen: localhost")), "platform.local.listen", 5, "is not host:port" },
        { With(Canary, ("listen: 127.0.0.1:8080", "listen: http://127.0.0.1:8080/")), "platform.local.listen", 5, "listen: 127.0.0.1:8080" },
        { With(Canary, ("targets: [http://127.0.0.1:5001]", "targets: [127.0.0.1:5001]")), "platform.local.stable.targets[0]", 6, "add the scheme: http://127.0.0.1:5001" },
        { With(Canary, ("targets: [http://127.0.0.1:5001]", "targets: [http://127.0.0.1:5001, http://127.0.0.1:5001]")), "platform.local.stable.targets[1]", 6, "listed twice" },
        { With(Canary, ("stable: { version: v1, targets: [http://127.0.0.1:5001] }", "stateDirectory: .zdp")), "platform.local.stable", 5, "required field stable is missing" },
        { With(Canary, ("candidate: { version: v2, targets: [http://127.0.0.1:5003] }", "stateDirectory: .zdp")), "platform.local.candidate", 5, "the canary strategy needs a candidate" },
        { With(Canary, ("interval: 1s, timeout: 800ms", "interval: 1s, timeout: 2s")), "platform.local.healthCheck.timeout", 8, "must be shorter than interval" },
        { With(Canary, ("path: /healthz", "path: healthz")), "platform.local.healthCheck.path", 8, "does not start with '/'" },
        { With(Canary, ("drainTimeout: 5s", "drainTimeout: 5 minutes")), "platform.local.drainTimeout", 9, "is not a duration" },

        // Gates.
        { With(Canary, ("metric: errorRate", "metric: errorrate")), "gates[0].metrics.metric", 19, "did you mean 'errorRate'?" },
        { With(Canary, ("side: candidate", "side: candidat")), "gates[0].metrics.side", 19, "did you mean 'candidate'?" },
        { With(Canary, ("condition: \"< 0.05\"", "condition: \"< 5\"")), "gates[0].condition", 20, "errorRate is a ratio from 0 to 1" },
        { With(Canary, ("condition: \"< 0.05\"", "condition: about 0.05")), "gates[0].condition", 20, "'about 0.05' is not a condition" },
        { With(Canary, ("condition: \"< 0.05\"", "condition: != 0")), "gates[0].condition", 20, "quote it" },
        { With(Canary, ("interval: 10s", "interval: 0s")), "gates[0].interval", 21, "longer than 0s" },
        { With(Canary, ("count: 3", "count: 0")), "gates[0].count", 22, "0 is out of range" },
        { With(Canary, ("failureLimit: 0", "failureLimit: 3")), "gates[0].failureLimit", 23, "the gate could never fail" },
        { With(Canary, ("interval: 10s", "command: { run: ./check.sh }")), "gates[0].command", 21, "both metrics and command" },
        { With(Canary, ("metrics: { metric: errorRate, side: candidate, window: 30s }", "minSamples: 1")), "gates[0]", 18, "the gate has no source" },
        { With(Canary, ("- name: smoke", "- name: error-rate")), "gates[1].name", 24, "already used on line 18" },
        { With(Canary, ("{address}/healthz", "{adress}/healthz")), "gates[1].http.url", 25, "did you mean {address}?" },
        { With(Canary, ("expectStatus: 200", "expectStatus: 700")), "gates[1].http.expectStatus", 25, "from 100 to 599" },
        { With(Canary, ("condition: \">= 0.99\"", "condition: \">= 99\"")), "gates[1].condition", 26, "for 99%" },

        // Hooks, rollback, timeouts, unknown and duplicate keys.
        { With(Canary, ("{ name: notify, run: \"./notify.sh\", timeout: 1m }", "{ name: notify, run: a }, { name: notify, run: b }")), "hooks.postPromote[1].name", 28, "hook name 'notify' is already used" },
        { With(Canary, ("{ name: notify, run: \"./notify.sh\", timeout: 1m }", "{ name: notify }")), "hooks.postPromote[0].run", 28, "required field run is missing" },
        { With(Canary, ("automatic: true", "automatic: yes")), "rollback.automatic", 30, "expected true or false" },
        { With(Canary, ("onInconclusive: rollback", "onInconclusive: Continue")), "rollback.onInconclusive", 31, "did you mean 'continue'?" },
        { With(Canary, ("total: 1h", "total: 0s")), "timeouts.total", 34, "longer than 0s" },
        { With(Canary, ("rollback:", "rolback:")), "rolback", 29, "did you mean 'rollback'?" },
        { With(Canary, ("total: 1h", "healthy: 1h")), "timeouts.healthy", 34, "healthy is defined twice (first on line 33)" },
        { With(Canary, ("count: 3", "count: 3\n    count: 4")), "gates[0].count", 23, "count is defined twice (first on line 22)" },

        // Rolling.
        { With(Rolling, ("batchSize: 2", "batchSize: 3")), "strategy.rolling.batchSize", 7, "maxUnavailable (1) + maxSurge (1) = 2" },
        { With(Rolling, ("maxUnavailable: 1", "maxUnavailable: 0"), ("maxSurge: 1", "maxSurge: 0")), "strategy.rolling.maxUnavailable", 8, "both 0" },
        { With(Rolling, ("batchSize: 2", "batchSize: 150%")), "strategy.rolling.batchSize", 7, "150% is out of range" },
        { With(Rolling, ("batchSize: 2", "batchSize: \"2\"")), "strategy.rolling.batchSize", 7, "expected a count or a percentage" },
        { With(Rolling, ("batchSize: 2", "# batch size forgotten")), "strategy.rolling.batchSize", 8, "required field batchSize is missing" },
        { With(Rolling, ("updateHook: update", "updateHook: updat")), "strategy.rolling.updateHook", 10, "did you mean 'update'?" },
        { With(Rolling, ("updateHook: update", "updateHook: smoke")), "strategy.rolling.updateHook", 10, "'smoke' is a preSwitch hook" },
        { With(Rolling, ("gates: [error-rate]", "gates: [error-rat]")), "strategy.rolling.gates[0]", 11, "did you mean 'error-rate'?" },
        { With(Rolling, ("stableTargets: 6", "stableTargets: 0")), "platform.simulated.stableTargets", 4, "from 1 to 10000" },
        { With(Rolling, ("candidateTargets: 0", "candidateTargets: 0, candidateErrorRate: 1.5")), "platform.simulated.candidateErrorRate", 4, "from 0 to 1" },
        { With(Rolling, ("  rolling:", "  canary: { steps: [ { setWeight: 100 } ] }\n  rolling:")), "strategy.rolling", 7, "strategy has both canary and rolling" },
        { With(Rolling, ("rolling:\n    batchSize: 2\n    maxUnavailable: 1\n    maxSurge: 1\n    updateHook: update\n    gates: [error-rate]", "blueGreen:\n    postSwitchGates: [error-rate]")), "platform.simulated.candidateTargets", 4, "the blueGreen strategy needs candidate targets" },

        // Blue-green.
        { With(BlueGreen, ("preSwitchGates: [smoke]", "preSwitchGates: [smok]")), "strategy.blueGreen.preSwitchGates[0]", 9, "did you mean 'smoke'?" },
        { With(BlueGreen, ("bake: 1m", "bake: -1m")), "strategy.blueGreen.bake", 11, "'-1m' is not a duration" },
        { With(BlueGreen, ("postSwitchGates: [error-rate]", "postSwitchGates: error-rate")), "strategy.blueGreen.postSwitchGates", 10, "expected a list" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_mistake_is_rejected_at_its_path_and_line(string yaml, string path, int line, string fragment)
    {
        var result = SpecReader.Read(yaml, "zdp.yml", TestModules.Catalog);

        Assert.False(result.IsValid);
        Assert.Null(result.Spec);
        Assert.Contains(result.Errors, e => e.Path == path && e.Line == line && e.ToString().Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_mistake_in_the_samples_is_a_single_error_when_alone()
    {
        // Guards against cascades: a row that yields several errors for one mistake confuses users.
        var cascades = Mistakes
            .Select(row => (Path: (string)row[1], Errors: SpecReader.Read((string)row[0], "zdp.yml", TestModules.Catalog).Errors))
            .Where(r => r.Errors.Count != 1 && r.Path is not "platform.local" and not "strategy.rolling")
            .Select(r => $"{r.Path}: {string.Join(" | ", r.Errors)}")
            .ToList();

        Assert.Empty(cascades);
    }

    [Fact]
    public void All_mistakes_in_a_file_are_reported_at_once_in_file_order()
    {
        var yaml = With(Canary,
            ("type: local", "type: lcoal"),
            ("setWeight: 10", "setWeight: 150"),
            ("count: 3", "count: three"));

        var result = SpecReader.Read(yaml, "zdp.yml", TestModules.Catalog);

        Assert.Equal(3, result.Errors.Count);
        Assert.Equal(["platform.type", "strategy.canary.steps[0].setWeight", "gates[0].count"], result.Errors.Select(e => e.Path));
        Assert.Equal([3, 13, 22], result.Errors.Select(e => e.Line));
    }

    [Fact]
    public void A_misspelt_top_level_key_suggests_the_valid_one_and_nothing_else()
    {
        var result = SpecReader.Read(With(Canary, ("strategy:", "stratgy:")), "zdp.yml", TestModules.Catalog);

        var error = Assert.Single(result.Errors);
        Assert.Equal("stratgy", error.Path);
        Assert.Equal(10, error.Line);
        Assert.Equal(1, error.Column);
        Assert.Contains("did you mean 'strategy'?", error.Message, StringComparison.Ordinal);
        Assert.Equal("rename it to strategy.", error.Fix);
    }

    [Fact]
    public void A_misspelt_step_key_suggests_setWeight()
    {
        var result = SpecReader.Read(With(Canary, ("setWeight: 10", "setWieght: 10")), "zdp.yml", TestModules.Catalog);

        var error = Assert.Single(result.Errors);
        Assert.Equal("strategy.canary.steps[0].setWieght", error.Path);
        Assert.Equal(13, error.Line);
        Assert.Equal(9, error.Column);
        Assert.Contains("did you mean 'setWeight'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_far_from_any_valid_one_lists_the_valid_keys()
    {
        var result = SpecReader.Read(With(Canary, ("drainTimeout: 5s", "color: blue")), "zdp.yml", TestModules.Catalog);

        var error = Assert.Single(result.Errors);
        Assert.Equal("platform.local.color", error.Path);
        Assert.Equal("unknown field 'color'.", error.Message);
        Assert.Contains("listen, stable, candidate, healthCheck, drainTimeout or stateDirectory", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_YAML_syntax_error_is_reported_with_its_line_and_column()
    {
        // ">= 0.99" unquoted starts a folded block scalar: the commonest syntax error in a gate.
        var result = SpecReader.Read(With(Canary, ("condition: \">= 0.99\"", "condition: >= 0.99")), "zdp.yml", TestModules.Catalog);

        var error = Assert.Single(result.Errors);
        Assert.Equal(26, error.Line);
        Assert.True(error.Column > 1);
        Assert.StartsWith("YAML syntax error:", error.Message, StringComparison.Ordinal);
        Assert.Contains("condition: \">= 0.99\"", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_flow_list_is_a_syntax_error_with_a_position_not_an_exception()
    {
        var result = SpecReader.Read("name: shop-api\nstrategy:\n  canary:\n    steps: [ { setWeight: 10 }\n", "zdp.yml", TestModules.Catalog);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("YAML syntax error:", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Line, 2, 5);
    }

    [Fact]
    public void Duplicate_keys_are_reported_together_with_the_other_mistakes()
    {
        var yaml = With(Canary, ("total: 1h", "healthy: 1h"), ("setWeight: 10", "setWeight: 101"));

        var result = SpecReader.Read(yaml, "zdp.yml", TestModules.Catalog);

        Assert.Equal(["strategy.canary.steps[0].setWeight", "timeouts.healthy"], result.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    [InlineData("~\n")]
    public void An_empty_file_is_one_clear_error(string yaml)
    {
        var result = SpecReader.Read(yaml, "zdp.yml", TestModules.Catalog);

        var error = Assert.Single(result.Errors);
        Assert.Equal("the file is empty.", error.Message);
        Assert.Equal(1, error.Line);
        Assert.Contains("docs/spec.md", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_mapping_is_rejected()
    {
        var error = Assert.Single(SpecReader.Read("- name: shop-api\n", "zdp.yml", TestModules.Catalog).Errors);

        Assert.Contains("expected a mapping of fields at the top of the file, got a list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_document_is_rejected_at_its_start()
    {
        var result = SpecReader.Read(Canary + "---\nname: other\n", "zdp.yml", TestModules.Catalog);

        var error = Assert.Single(result.Errors);
        Assert.Equal(36, error.Line);
        Assert.Contains("2 YAML documents", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[")]
    [InlineData("{")]
    [InlineData(":")]
    [InlineData("- - -")]
    [InlineData("a: &x [*x]")]
    [InlineData("name: *nowhere")]
    [InlineData("\t\tname:\tx")]
    [InlineData("name: \"unterminated")]
    [InlineData("? [complex, key]\n: value")]
    [InlineData("strategy: { canary: { steps: [ [ ], { }, 7, { setWeight: [1] } ] } }")]
    [InlineData("gates: [ { name: a, http: { url: \"{{address}\" }, condition: \"<\" } ]")]
    [InlineData("timeouts: { total: 99999999999999d }")]
    [InlineData("\u0000\u0001\u0002")]
    [InlineData("rollback:\n : automatic: true\n  onInconclusive: rollback\n")]
    public void Garbage_never_throws_and_always_explains_itself(string yaml)
    {
        var result = SpecReader.Read(yaml, "zdp.yml", TestModules.Catalog);

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e =>
        {
            Assert.True(e.Line >= 1 && e.Column >= 1);
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.False(string.IsNullOrWhiteSpace(e.Fix));
        });
    }

    [Fact]
    public void Randomly_mutated_specs_never_throw_and_every_error_has_a_position()
    {
        // A seeded fuzz over the samples: YamlDotNet throws undocumented exceptions on some malformed
        // input, and the reader's contract is to never throw on bad input.
        var random = new Random(20_26);
        const string Alphabet = "{}[]:-,'\"#&*!|>%@?\n \tab1.";
        foreach (var sample in new[] { Canary, Rolling, BlueGreen })
        {
            for (var n = 0; n < 1000; n++)
            {
                var text = new System.Text.StringBuilder(sample);
                for (var edit = random.Next(1, 6); edit > 0; edit--)
                {
                    var at = random.Next(text.Length);
                    _ = random.Next(3) switch
                    {
                        0 => text.Remove(at, 1),
                        1 => text.Insert(at, Alphabet[random.Next(Alphabet.Length)]),
                        _ => text.Replace(text[at], Alphabet[random.Next(Alphabet.Length)], at, 1),
                    };
                }

                var result = SpecReader.Read(text.ToString(), "zdp.yml", TestModules.Catalog);

                Assert.True(result.IsValid || result.Errors.Count > 0);
                Assert.All(result.Errors, e => Assert.True(e.Line >= 1 && e.Column >= 1 && e.Fix.Length > 0, e.ToString()));
            }
        }
    }

    [Fact]
    public void Pathologically_deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var yaml = "name: " + new string('[', 100_000) + new string(']', 100_000);

        var error = Assert.Single(SpecReader.Read(yaml, "zdp.yml", TestModules.Catalog).Errors);

        Assert.Contains("nests more than 64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_prints_as_file_line_column_path_message_and_fix()
    {
        var error = new SpecError("zdp.yml", 12, 7, "strategy.canary.steps[2].setWeight", "150 is out of range.", "use a whole number from 0 to 100.");

        Assert.Equal("zdp.yml:12:7: strategy.canary.steps[2].setWeight: 150 is out of range. Fix: use a whole number from 0 to 100.", error.ToString());
    }

    [Fact]
    public void An_error_about_the_whole_file_prints_without_a_path()
    {
        var error = new SpecError("zdp.yml", 1, 1, "", "the file is empty.", "write a spec.");

        Assert.Equal("zdp.yml:1:1: the file is empty. Fix: write a spec.", error.ToString());
    }

    [Fact]
    public void Errors_name_the_source_path_they_were_given()
    {
        var error = Assert.Single(SpecReader.Read("", "deploy/prod/zdp.yml", TestModules.Catalog).Errors);

        Assert.Equal("deploy/prod/zdp.yml", error.File);
    }
}

using ZdPipelines.Core.Spec;
using ZdPipelines.Core.Spec.Validation;
using ZdPipelines.Core.Tests.Support;

namespace ZdPipelines.Core.Tests.Spec;

/// <summary>The validator judges the records whatever built them: a spec built in code gets the same rules and messages as a file.</summary>
public sealed class SpecValidatorTests
{
    [Fact]
    public void A_valid_spec_built_in_code_has_no_problems()
    {
        Assert.Empty(SpecValidator.Validate(Specs.Canary(), TestModules.Catalog));
    }

    [Fact]
    public void A_spec_built_in_code_gets_every_problem_with_the_reader_s_messages_and_no_position()
    {
        var spec = Specs.Canary(null, new CanaryStepSpec { SetWeight = 150 }, new CanaryStepSpec { Gate = "eror-rate" }) with
        {
            Name = "Shop_API",
            Gates = [Specs.ErrorRate() with { Count = 0 }],
        };

        var errors = SpecValidator.Validate(spec, TestModules.Catalog);

        Assert.Equal(["name", "gates[0].count", "strategy.canary.steps[0].setWeight", "strategy.canary.steps[1].gate"], errors.Select(e => e.Path));
        Assert.Contains("150 is out of range. Fix: use a whole number from 0 to 100.", errors[2].ToString(), StringComparison.Ordinal);
        Assert.Contains("did you mean 'error-rate'?", errors[3].Message, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.False(e.HasPosition));
        Assert.StartsWith("strategy.canary.steps[0].setWeight: ", errors[2].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_platform_module_s_rules_apply_to_a_spec_built_in_code()
    {
        var spec = Specs.BlueGreen(Specs.Platform(candidate: 0));

        var error = Assert.Single(SpecValidator.Validate(spec, TestModules.Catalog));

        Assert.Equal("platform.simulated.candidateTargets", error.Path);
        Assert.Contains("the blueGreen strategy needs candidate targets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_with_no_strategy_chosen_is_one_problem()
    {
        var spec = Specs.Canary() with { Strategy = new StrategySpec() };

        var error = Assert.Single(SpecValidator.Validate(spec, TestModules.Catalog));

        Assert.Equal("strategy", error.Path);
        Assert.Equal("no strategy is chosen.", error.Message);
    }
}

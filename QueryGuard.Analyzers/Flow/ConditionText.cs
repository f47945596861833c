using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using QueryGuard.Model;

namespace QueryGuard.Flow;

/// <summary>Says when a branch is taken, in words a message can use: <c>'memberId' is null</c>, <c>'force' is true</c>.</summary>
internal static class ConditionText
{
    public static string Describe(IOperation condition, bool value)
    {
        var operation = FilterModelBuilder.Unwrap(condition);
        switch (operation)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Describe(not.Operand, !value);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                when NullSide(binary) is { } other:
                var isNull = (binary.OperatorKind == BinaryOperatorKind.Equals) == value;
                return $"'{Text(other)}' is {(isNull ? "null" : "not null")}";

            case IIsPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } } isNullPattern:
                return $"'{Text(isNullPattern.Value)}' is {(value ? "null" : "not null")}";

            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } } } notNullPattern:
                return $"'{Text(notNullPattern.Value)}' is {(value ? "not null" : "null")}";

            case IInvocationOperation { TargetMethod.Name: "IsNullOrEmpty" or "IsNullOrWhiteSpace", Arguments.Length: 1 } check
                when check.TargetMethod.ContainingType.SpecialType == SpecialType.System_String:
                return $"'{Text(check.Arguments[0].Value)}' is {(value ? string.Empty : "not ")}null or empty";
        }

        return $"'{Text(operation)}' is {(value ? "true" : "false")}";
    }

    private static IOperation? NullSide(IBinaryOperation binary)
    {
        if (IsNull(binary.RightOperand))
        {
            return binary.LeftOperand;
        }

        return IsNull(binary.LeftOperand) ? binary.RightOperand : null;
    }

    private static bool IsNull(IOperation operation) =>
        FilterModelBuilder.Unwrap(operation).ConstantValue is { HasValue: true, Value: null };

    private static string Text(IOperation operation) => FilterModelBuilder.Unwrap(operation).Syntax?.ToString() ?? "condition";
}

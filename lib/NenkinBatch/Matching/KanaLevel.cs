namespace NenkinBatch.Matching;

/// <summary>How far two kana names had to be folded before they were equal; each level is its own comparison level.</summary>
public enum KanaLevel : sbyte
{
    Exact,
    /// <summary>Equal after width and script folding (ｶﾞ = ガ, ひらがな = カタカナ, spaces ignored).</summary>
    Width,
    /// <summary>Equal after small kana are made large (キョウコ = キヨウコ).</summary>
    Small,
    /// <summary>Equal after the loose folding (ヂ=ジ, ヴァ=バ, コウ=コオ, ユー=ユウ).</summary>
    Loose,
    Different,
}

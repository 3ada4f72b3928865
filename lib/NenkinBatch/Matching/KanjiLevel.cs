namespace NenkinBatch.Matching;

/// <summary>How two kanji names compared; each a comparison level of its own, strongest first.</summary>
public enum KanjiLevel : sbyte
{
    /// <summary>Not compared: the person's name is an alphabet name, or the row has no name at all.</summary>
    Missing = -1,
    Exact,
    /// <summary>Equal once ideographic variation selectors are set aside (辻󠄀 = 辻).</summary>
    WithoutVariationSelectors,
    /// <summary>Equal once 異体字 are folded through the variant table (髙橋 = 高橋). Weaker than exact.</summary>
    VariantFolded,
    /// <summary>Equal with each 〓 (or ■) standing for one character JPS could not write. Weaker still.</summary>
    Wildcard,
    Different,
}

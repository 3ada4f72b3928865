namespace NenkinBatch.Matching;

/// <summary>
/// The fields of <see cref="Levels"/>, in its order: each field's place in <see cref="PersonComparer"/>'s tables of
/// weights and report texts, which a field's level (its enum value) then indexes.
/// </summary>
internal enum LevelField : byte
{
    PensionNumber,
    IndividualNumber,
    Kana,
    Kanji,
    Alphabet,
    Birth,
    Sex,
    Address,
    AddressSuffix,
}

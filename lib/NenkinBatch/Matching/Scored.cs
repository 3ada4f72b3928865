using NenkinBatch.Domain;
namespace NenkinBatch.Matching;

/// <summary>A scored candidate: the whole score, and the part the 4情報 alone give (numbers left out).</summary>
/// <param name="FormerAddress">The former address (住所履歴) the row's address agreed with, when it was that and not the current one.</param>
/// <param name="FormerName">The former name (氏名履歴) the row's name agreed with, when it was that and not the current one.</param>
public readonly record struct Scored(int Person, double Score, double IdentityScore, Levels Levels, FormerValue? FormerAddress = null, FormerName? FormerName = null);

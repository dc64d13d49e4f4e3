package trueapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReferenceTables(t *testing.T) {
	assert.Equal(t, 3, GroupTobacco.ID())
	assert.Equal(t, "Табачные изделия", GroupTobacco.Name())
	g, ok := ProductGroupByID(11)
	require.True(t, ok)
	assert.Equal(t, GroupAlcohol, g)
	_, ok = ProductGroupByID(1)
	assert.False(t, ok, "the B-2 example's id 1 is not in the table")
	assert.Equal(t, 0, ProductGroup("lp").ID(), "unknown groups pass through")

	assert.Equal(t, "Комплект", PackageBundle.Name())
	assert.Equal(t, "Упаковка 1-го уровня", PackageLevel1.Name())
	assert.Equal(t, "", PackageType("pallet").Name())

	assert.Equal(t, "Введен в оборот", StatusIntroduced.Name())
	assert.Equal(t, "Нанесён, не оплачен", StatusAppliedNotPaid.Name())
	assert.Equal(t, "", CisStatus("SOMETHING_NEW").Name())

	assert.Equal(t, "акт Приема-передачи", DocAcceptanceAct.Name())
	assert.Equal(t, "Оформлен", DocStatusCheckedOK.Name())
	assert.Equal(t, "Отправлен", ActSent.Name(), "the specification's typo Отравлен is corrected")
	assert.Equal(t, "Обработка документа", ActTotalsChecking.Name())
	assert.Equal(t, "", ActStatus(0).Name())
	assert.Equal(t, "Производство РК", ReleaseLocal.Name())

	offices := CustomsOffices()
	require.Len(t, offices, 92)
	assert.Equal(t, CustomsOffice{"50100", "КОМИТЕТ ГОСУДАРСТВЕННЫХ ДОХОДОВ МИНИСТЕРСТВА ФИНАНСОВ РЕСПУБЛИКИ КАЗАХСТАН"}, offices[0])
	assert.Equal(t, "57203", offices[91].Code)
	name, ok := CustomsOfficeName("55451")
	require.True(t, ok)
	assert.Equal(t, `Т/П МЦПС "Хоргос"`, name)
	_, ok = CustomsOfficeName("99999")
	assert.False(t, ok)
	offices[0].Name = "changed"
	assert.NotEqual(t, "changed", CustomsOffices()[0].Name, "a copy is returned")
	for _, o := range offices {
		assert.Len(t, o.Code, 5)
	}
}
